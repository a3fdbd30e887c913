//! A connection to a mail server read line by line, plain or TLS, with the buffer STARTTLS needs
//! to be empty before the upgrade.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// A byte stream the connector owns: a TCP socket, or TLS over one.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Longer lines than this end the conversation: no answer the connector reads needs more.
const MAX_LINE: usize = 16 * 1024;
/// More than this in all ends the conversation too: a check's answers come to a few kilobytes,
/// and a server that streams endless short lines must not fill the memory within a step's time.
const MAX_READ: usize = 1024 * 1024;

pub struct MailStream {
    io: Box<dyn Io>,
    buffer: Vec<u8>,
    /// Bytes read from the server so far, against [`MAX_READ`].
    read_so_far: usize,
}

impl MailStream {
    pub fn new(io: Box<dyn Io>) -> MailStream {
        MailStream {
            io,
            buffer: Vec::new(),
            read_so_far: 0,
        }
    }

    /// The next line without its line ending; bytes that are not UTF-8 are replaced.
    pub async fn read_line(&mut self) -> io::Result<String> {
        loop {
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line);
                return Ok(text.trim_end_matches(['\r', '\n']).to_owned());
            }
            if self.buffer.len() > MAX_LINE {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
            }
            let mut chunk = [0u8; 4096];
            let read = self.io.read(&mut chunk).await?;
            if read == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.read_so_far += read;
            if self.read_so_far > MAX_READ {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the server sent more than 1 MiB of answers",
                ));
            }
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }

    pub async fn write_line(&mut self, line: &str) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.io.write_all(&bytes).await?;
        self.io.flush().await
    }

    /// The socket for the TLS upgrade. Bytes the server sent after its "go ahead" would be read as
    /// if they came through TLS (STARTTLS injection), so the upgrade is refused when there are any.
    pub fn into_io_for_upgrade(self) -> Result<Box<dyn Io>, Box<dyn Io>> {
        if self.buffer.is_empty() {
            Ok(self.io)
        } else {
            Err(self.io)
        }
    }

    /// Best effort: says goodbye and closes, ignoring a server that already left.
    pub async fn close(mut self, goodbye: &str) {
        let _ = self.write_line(goodbye).await;
        let _ = self.io.shutdown().await;
    }
}
