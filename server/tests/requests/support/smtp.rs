//! A real SMTP server on loopback that keeps what it receives, for tests.

use std::sync::{Arc, Mutex};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub recipients: Vec<String>,
    pub data: String,
}

impl ReceivedMail {
    /// The first link in the message body.
    pub fn first_link(&self) -> Option<String> {
        let unfolded = self.data.replace("=\r\n", "").replace("=3D", "=");
        unfolded.split_whitespace().find(|w| w.starts_with("http://") || w.starts_with("https://")).map(str::to_owned)
    }
}

#[derive(Clone, Default)]
pub struct TestSmtp {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl TestSmtp {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        Self::serve(listener).await
    }

    pub async fn serve(listener: TcpListener) -> Self {
        let port = listener.local_addr().unwrap().port();
        let server = Self { port, received: Arc::default() };
        let received = server.received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream, received.clone()));
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
    }

    /// Waits up to 20 seconds for a message to `to` whose text contains `needle`.
    pub async fn wait_for(&self, to: &str, needle: &str) -> ReceivedMail {
        for _ in 0..200 {
            if let Some(mail) =
                self.received().into_iter().find(|m| m.recipients.iter().any(|r| r == to) && m.data.contains(needle))
            {
                return mail;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no email to {to} containing {needle:?}; got {:?}", self.received());
    }
}

async fn handle(stream: TcpStream, received: Arc<Mutex<Vec<ReceivedMail>>>) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    let _ = writer.write_all(b"220 test-smtp ready\r\n").await;
    let mut recipients = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-test-smtp\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("MAIL FROM") {
            recipients.clear();
            b"250 ok\r\n"
        } else if upper.starts_with("RCPT TO") {
            let address = line[8..].trim().trim_start_matches('<').trim_end_matches('>').to_lowercase();
            recipients.push(address);
            b"250 ok\r\n"
        } else if upper == "DATA" {
            let _ = writer.write_all(b"354 go ahead\r\n").await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(&line);
                data.push_str("\r\n");
            }
            received.lock().unwrap().push(ReceivedMail { recipients: recipients.clone(), data });
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            let _ = writer.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 ok\r\n"
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}
