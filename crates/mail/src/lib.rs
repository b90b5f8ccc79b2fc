//! Hands mail to an SMTP relay: [`SmtpMailer`] implements the domain's `Mailer` port with plain
//! SMTP (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA, QUIT) and writes each message as RFC 5322
//! text with a UTF-8 subject and sender name (RFC 2047 encoded words) and a base64 UTF-8 body,
//! so Korean arrives intact through any relay. No TLS and no login: the relay is expected on the
//! same host or a private network (Postfix, a cloud provider's relay endpoint), which is how a
//! mail server is usually run beside an application; one that needs either is reached through
//! such a local relay. Every step has a timeout; an answer the relay refuses becomes a
//! `SendError` naming the step and the relay's words, and the outbox tries again later.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::mail::{Mailer, OutgoingMail, SendError};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

/// How long one whole conversation with the relay may take.
const CONVERSATION: Duration = Duration::from_secs(30);

/// The SMTP relay mail goes through, and who it comes from.
#[derive(Debug, Clone)]
pub struct SmtpMailer {
    /// `host:port`.
    address: String,
    /// The sender's address (`no-reply@gachi.example.kr`).
    from_address: String,
    /// The sender's name shown to readers (`가치`), may be empty.
    from_name: String,
    /// The name this side gives in EHLO (the sender's domain).
    hello: String,
}

impl SmtpMailer {
    /// `url` is `smtp://host[:port]` (port 25 by default); `from` is `address` or
    /// `Name <address>`. Refuses anything else with a sentence saying what is wrong.
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, String> {
        let rest = url
            .trim()
            .strip_prefix("smtp://")
            .ok_or_else(|| format!("{url}: give the relay as smtp://host:port"))?
            .trim_end_matches('/');
        if rest.is_empty() || rest.contains(['/', '@', '?', ' ']) {
            return Err(format!("{url}: give the relay as smtp://host:port"));
        }
        let address = if rest
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            rest.to_owned()
        } else {
            format!("{rest}:25")
        };
        let (from_name, from_address) = match from.trim().rsplit_once('<') {
            Some((name, address)) => (
                name.trim().trim_matches('"').trim().to_owned(),
                address.trim_end_matches('>').trim().to_owned(),
            ),
            None => (String::new(), from.trim().to_owned()),
        };
        if !plain_address(&from_address) || from_name.chars().any(char::is_control) {
            return Err(format!(
                "{from}: give the sender as address or Name <address>"
            ));
        }
        let hello = from_address
            .rsplit_once('@')
            .map_or("localhost", |(_, domain)| domain)
            .to_owned();
        Ok(SmtpMailer {
            address,
            from_address,
            from_name,
            hello,
        })
    }

    async fn converse(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let stream = TcpStream::connect(&self.address)
            .await
            .map_err(|e| SendError(format!("smtp {}: {e}", self.address)))?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        expect(&mut read, "greeting", 220).await?;
        let mut say = async |line: String, step: &str, code: u16| -> Result<(), SendError> {
            write
                .write_all(line.as_bytes())
                .await
                .map_err(|e| SendError(format!("smtp {step}: {e}")))?;
            expect(&mut read, step, code).await
        };
        say(format!("EHLO {}\r\n", self.hello), "EHLO", 250).await?;
        say(
            format!("MAIL FROM:<{}>\r\n", self.from_address),
            "MAIL FROM",
            250,
        )
        .await?;
        say(format!("RCPT TO:<{}>\r\n", mail.to), "RCPT TO", 250).await?;
        say("DATA\r\n".to_owned(), "DATA", 354).await?;
        say(self.message(mail, Timestamp::now()), "message", 250).await?;
        // The mail is accepted; a relay that hangs up without answering QUIT changes nothing.
        let _ = say("QUIT\r\n".to_owned(), "QUIT", 221).await;
        Ok(())
    }

    /// The message as sent after DATA, ending with the lone dot. Base64 lines never start with
    /// a dot, so no dot-stuffing is needed.
    fn message(&self, mail: &OutgoingMail, now: Timestamp) -> String {
        let from = if self.from_name.is_empty() {
            format!("<{}>", self.from_address)
        } else {
            format!("{} <{}>", encoded_words(&self.from_name), self.from_address)
        };
        let mut message = format!(
            "From: {from}\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: {date}\r\n\
             Message-ID: <{id}.{nonce:x}@{hello}>\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            to = mail.to,
            subject = encoded_words(&mail.subject),
            date = rfc5322_date(now),
            id = now.unix_ms(),
            nonce = nonce(&mail.to, now),
            hello = self.hello,
        );
        let body = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let encoded = STANDARD.encode(body.as_bytes());
        for line in encoded.as_bytes().chunks(76) {
            message.push_str(std::str::from_utf8(line).unwrap_or_default());
            message.push_str("\r\n");
        }
        message.push_str(".\r\n");
        message
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        if !plain_address(&mail.to) {
            return Err(SendError(format!("not a mail address: {:?}", mail.to)));
        }
        tokio::time::timeout(CONVERSATION, self.converse(mail))
            .await
            .map_err(|_| SendError(format!("smtp {}: no answer in time", self.address)))?
    }
}

/// An address that cannot break out of a header or an SMTP command.
fn plain_address(address: &str) -> bool {
    address.contains('@')
        && !address.is_empty()
        && address.len() <= 254
        && !address
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | ',' | '"'))
}

/// Reads one (possibly multi-line) reply and checks its code.
async fn expect(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    step: &str,
    code: u16,
) -> Result<(), SendError> {
    let mut said = String::new();
    loop {
        let mut line = String::new();
        let n = read
            .read_line(&mut line)
            .await
            .map_err(|e| SendError(format!("smtp {step}: {e}")))?;
        if n == 0 {
            return Err(SendError(format!("smtp {step}: the relay hung up")));
        }
        said.push_str(line.trim_end());
        // `250-…` continues, `250 …` (or a bare `250`) ends the reply.
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
        said.push(' ');
        if said.len() > 4096 {
            return Err(SendError(format!("smtp {step}: reply too long")));
        }
    }
    let got: u16 = said.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    // A 251 ("user not local; will forward") is as good as a 250.
    if got == code || (code == 250 && got == 251) {
        Ok(())
    } else {
        let said: String = said.chars().take(300).collect();
        Err(SendError(format!("smtp {step}: {said}")))
    }
}

/// `text` as RFC 2047 encoded words (UTF-8, base64), each at most 75 characters, cut between
/// characters; plain ASCII without specials is left as it is.
fn encoded_words(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '=' | '?' | '"') || c == ' ')
        && text.len() <= 70
    {
        return text.to_owned();
    }
    // 45 bytes of UTF-8 encode to 60 characters, plus the 12 of `=?UTF-8?B?` and `?=`.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// A Message-ID part that differs between mails sent in the same millisecond.
fn nonce(to: &str, now: Timestamp) -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write(to.as_bytes());
    hasher.write_i64(now.unix_ms());
    hasher.finish()
}

/// `Mon, 07 Dec 2026 08:00:00 +0000`.
fn rfc5322_date(at: Timestamp) -> String {
    let seconds = at.unix_ms().div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_and_sender_are_read_or_refused() {
        let m = SmtpMailer::new("smtp://127.0.0.1:2525", "가치 <no-reply@gachi.kr>").unwrap();
        assert_eq!(
            (
                m.address.as_str(),
                m.from_name.as_str(),
                m.from_address.as_str()
            ),
            ("127.0.0.1:2525", "가치", "no-reply@gachi.kr")
        );
        assert_eq!(m.hello, "gachi.kr");
        let m = SmtpMailer::new("smtp://mail.internal", "no-reply@gachi.kr").unwrap();
        assert_eq!(m.address, "mail.internal:25");
        for (url, from) in [
            ("http://mail", "a@b.kr"),
            ("smtp://", "a@b.kr"),
            ("smtp://user@mail:25", "a@b.kr"),
            ("smtp://mail:25", "nobody"),
            ("smtp://mail:25", "x <a@b.kr\r\nBcc: c@d.kr>"),
        ] {
            assert!(SmtpMailer::new(url, from).is_err(), "{url} {from:?}");
        }
    }

    #[test]
    fn dates_are_rfc5322() {
        assert_eq!(
            rfc5322_date(Timestamp::from_unix_ms(0)),
            "Thu, 01 Jan 1970 00:00:00 +0000"
        );
        // 2026-12-07 08:00:00 UTC was a Monday.
        assert_eq!(
            rfc5322_date(Timestamp::from_unix_ms(1_796_630_400_000)),
            "Mon, 07 Dec 2026 08:00:00 +0000"
        );
        assert_eq!(
            rfc5322_date(Timestamp::from_unix_ms(951_782_400_000)),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
    }

    #[test]
    fn subjects_are_encoded_words_cut_between_characters() {
        assert_eq!(encoded_words("Hello Gachi"), "Hello Gachi");
        let subject = "[가치] 새 알림 3건 — 한옥식당님이 쿠팡 반품지 질문에 답했습니다";
        let encoded = encoded_words(subject);
        let mut decoded = Vec::new();
        for word in encoded.split("\r\n ") {
            assert!(word.len() <= 75, "{word}");
            let inner = word
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .expect("an encoded word");
            let bytes = STANDARD.decode(inner).unwrap();
            // Each word is whole UTF-8 on its own.
            assert!(std::str::from_utf8(&bytes).is_ok());
            decoded.extend(bytes);
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), subject);
        // Header injection is not possible through a subject.
        assert!(!encoded_words("a\r\nBcc: x@y.kr").contains("\r\nBcc"));
    }

    #[tokio::test]
    async fn a_refused_recipient_names_the_step_and_the_relays_words() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let relay = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut read = BufReader::new(read);
            write.write_all(b"220 relay ready\r\n").await.unwrap();
            for answer in [
                "250-relay\r\n250 8BITMIME\r\n",
                "250 ok\r\n",
                "550 5.1.1 no such user\r\n",
            ] {
                let mut line = String::new();
                read.read_line(&mut line).await.unwrap();
                write.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        let mailer = SmtpMailer::new(&format!("smtp://{address}"), "no-reply@gachi.kr").unwrap();
        let error = mailer
            .send(&OutgoingMail {
                to: "nobody@gachi.kr".into(),
                subject: "s".into(),
                body: "b".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(error.0, "smtp RCPT TO: 550 5.1.1 no such user");
        relay.await.unwrap();
    }
}
