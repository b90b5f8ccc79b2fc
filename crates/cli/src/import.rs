//! `gachi import stores FILE` and `gachi import licences FILE`: the public store register
//! (상가(상권)정보, keyed by 상가업소번호) or a business licence list (인허가 데이터, keyed by a digest
//! of name, address and licence date) into the merchant registry as prospects.
//!
//! The file is streamed, never held in memory: one thread decodes (UTF-8 with or without BOM, or
//! CP949, detected from the first megabyte unless `--encoding` says), splits (comma or pipe,
//! from the header line) and checks rows, while the caller's thread hands batches to the domain's
//! prospect import (`merchants::prospects`), which writes each in one transaction. Bad rows go to
//! `FILE.rejected.csv` with their line number and reason, and the import goes on. Re-running a
//! file (after success, Ctrl-C or kill -9) upserts the same rows again, so it ends in the same
//! state as one clean run, without duplicates.
//!
//! Nothing in a row can make the import hold more than a few KB of it: a line longer than
//! `MAX_LINE_BYTES` is skipped as the bytes stream past (never buffered whole, whatever the CSV
//! reader would do with it) and reported by its line number, and every field has the public
//! register's length limit (`merchants::register::MAX_*`), a longer one rejecting its row.

use std::fs::File;
use std::io::{BufReader, IsTerminal as _, Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

use anyhow::{Context as _, Result, bail};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::merchants::merchant::ImportCounts;
use gachi_domain::merchants::prospects::{ProspectImport, Prospects};
use gachi_domain::merchants::register::{RowSchema, StoreRecord};
use gachi_domain::ports::{Store, SystemClock};
use gachi_web::i18n::Tr;

/// Rows per write transaction.
const BATCH_ROWS: usize = 5_000;
/// Batches parsed ahead of the writer (bounds memory: a few batches, whatever the file size).
const BATCHES_IN_FLIGHT: usize = 4;
const SNIFF_BYTES: usize = 1 << 20;
/// The longest line read as a row (after decoding to UTF-8). The official 39-column row is about
/// 500 bytes, and every field at its limit stays under 4 KB; a longer line is not a register row.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// What a line too long to read is replaced by: one field the parser recognizes (a row of the
/// register has many fields and no NUL).
const TOO_LONG_MARK: &[u8] = b"\0gachi:line-too-long\0";

/// Passes through the lines of `inner` that are at most `max` bytes (newline excluded) and
/// replaces each longer one by `TOO_LONG_MARK` (so the CSV reader still sees a line there, and
/// reports the rows after it with their right numbers), noting its number in `too_long`. It holds at most one line of `max` bytes and one
/// read's worth of output, never a whole long line. A quoted field spanning lines is seen line
/// by line, so a long one is cut like any long line.
struct LineLimit<R> {
    inner: R,
    max: usize,
    /// The number of the line being read (1 is the header).
    line: u64,
    /// The current line so far, while it is within `max`.
    pending: Vec<u8>,
    /// The current line is too long: its bytes are dropped until its newline.
    skipping: bool,
    chunk: Vec<u8>,
    out: Vec<u8>,
    out_at: usize,
    done: bool,
    too_long: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
}

impl<R: Read> LineLimit<R> {
    fn new(inner: R, max: usize) -> Self {
        LineLimit {
            inner,
            max,
            line: 1,
            pending: Vec::with_capacity(max.min(64 * 1024)),
            skipping: false,
            chunk: vec![0; 64 * 1024],
            out: Vec::with_capacity(128 * 1024),
            out_at: 0,
            done: false,
            too_long: Default::default(),
        }
    }

    /// Reads one chunk from `inner` into `out`; false at the end of the input.
    fn refill(&mut self) -> std::io::Result<bool> {
        self.out.clear();
        self.out_at = 0;
        let n = loop {
            match self.inner.read(&mut self.chunk) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            // The last line, without a newline.
            if self.skipping {
                self.out.extend_from_slice(TOO_LONG_MARK);
            } else {
                self.out.append(&mut self.pending);
            }
            self.skipping = false;
            return Ok(false);
        }
        let mut rest = &self.chunk[..n];
        while !rest.is_empty() {
            let (piece, newline) = match rest.iter().position(|&b| b == b'\n') {
                Some(at) => (&rest[..at], true),
                None => (rest, false),
            };
            rest = &rest[piece.len() + usize::from(newline)..];
            if !self.skipping {
                if self.pending.len() + piece.len() > self.max {
                    self.skipping = true;
                    self.pending.clear();
                    self.too_long.borrow_mut().push_back(self.line);
                } else if self.pending.is_empty() && newline {
                    // A whole line inside the chunk: straight to the output.
                    self.out.extend_from_slice(piece);
                } else {
                    self.pending.extend_from_slice(piece);
                }
            }
            if newline {
                if self.skipping {
                    self.out.extend_from_slice(TOO_LONG_MARK);
                } else {
                    self.out.append(&mut self.pending);
                }
                self.out.push(b'\n');
                self.skipping = false;
                self.line += 1;
            }
        }
        Ok(true)
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.done = !self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "cp949")]
    Cp949,
}

/// What the whole run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub counts: ImportCounts,
    pub rejected: u64,
}

/// UTF-8 when the start of the file is (nearly all) valid UTF-8, otherwise CP949, the encoding
/// Korean Excel saves CSV in. Korean text in CP949 is almost entirely invalid UTF-8, while a
/// UTF-8 file with a few broken bytes (a damaged row, to be rejected) is overwhelmingly valid.
pub fn detect_encoding(start: &[u8]) -> Encoding {
    if start.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8;
    }
    let text = String::from_utf8_lossy(start);
    let broken = text.chars().filter(|&c| c == '\u{fffd}').count();
    let valid_non_ascii = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    // A multi-byte character cut by the end of the window costs one replacement.
    if broken <= 1 || valid_non_ascii >= 20 * broken {
        Encoding::Utf8
    } else {
        Encoding::Cp949
    }
}

/// Pipes in files from 2019–2020, commas after.
pub fn detect_delimiter(header_line: &str) -> u8 {
    if header_line.matches('|').count() > header_line.matches(',').count() {
        b'|'
    } else {
        b','
    }
}

/// Builds the row schema from the header line, or says what is wrong with the header.
pub type SchemaFromHeader = Box<dyn FnOnce(&[&str]) -> Result<Box<dyn RowSchema>, String> + Send>;

enum Parsed {
    Batch(Vec<StoreRecord>),
    /// The header could not be read: nothing was imported.
    Fatal(String),
}

/// Reads, decodes, splits and checks the file on this thread, sending batches to the writer and
/// writing rejections as it goes.
fn parse_file(
    file: PathBuf,
    encoding: Option<Encoding>,
    schema_from_header: SchemaFromHeader,
    t: Tr,
    to_writer: std::sync::mpsc::SyncSender<Parsed>,
    bytes_read: Arc<AtomicU64>,
    rejected: Arc<AtomicU64>,
) -> Result<()> {
    let mut raw = File::open(&file).with_context(|| format!("opening {}", file.display()))?;
    let mut start = vec![0u8; SNIFF_BYTES];
    let n = read_up_to(&mut raw, &mut start)?;
    start.truncate(n);
    let encoding = encoding.unwrap_or_else(|| detect_encoding(&start));
    let raw = CountingReader {
        inner: std::io::Cursor::new(start).chain(raw),
        count: bytes_read,
    };
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(match encoding {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Cp949 => encoding_rs::EUC_KR,
        }))
        .bom_override(true)
        .build(raw);
    let limited = LineLimit::new(decoded, MAX_LINE_BYTES);
    let too_long = limited.too_long.clone();
    let mut decoded = BufReader::with_capacity(256 * 1024, limited);

    // The header line decides the delimiter.
    let mut header_line = String::new();
    std::io::BufRead::read_line(&mut decoded, &mut header_line)?;
    let delimiter = detect_delimiter(&header_line);
    let mut header_reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(header_line.as_bytes());
    let mut header = csv::StringRecord::new();
    header_reader.read_record(&mut header)?;
    let header: Vec<&str> = header.iter().collect();
    let columns = match schema_from_header(&header) {
        Ok(columns) => columns,
        Err(reason) => {
            let _ = to_writer.send(Parsed::Fatal(reason));
            return Ok(());
        }
    };

    let mut rejects = csv::Writer::from_path(crate::sheet::rejected_path(&file))?;
    rejects.write_record([
        "line",
        "상가업소번호",
        "상호명",
        "reason_code",
        "reason",
        "detail",
    ])?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(decoded);
    let mut record = csv::ByteRecord::new();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut fields: Vec<String> = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.len() == 1 && &record[0] == TOO_LONG_MARK => {
                // A line the limit skipped, by the number the limit counted.
                let line = too_long.borrow_mut().pop_front().unwrap_or(0);
                rejected.fetch_add(1, Ordering::Relaxed);
                rejects.write_record([
                    &line.to_string(),
                    "",
                    "",
                    "error-register-line-too-long",
                    &t.get("error-register-line-too-long"),
                    &format!("more than {MAX_LINE_BYTES} bytes"),
                ])?;
                continue;
            }
            Ok(true) => {}
            Err(error) => {
                // A malformed quote or similar: report the line and carry on with the next one.
                let line = error.position().map(|p| p.line() + 1).unwrap_or(0);
                rejected.fetch_add(1, Ordering::Relaxed);
                rejects.write_record([
                    &line.to_string(),
                    "",
                    "",
                    "error-register-unreadable",
                    &t.get("error-register-unreadable"),
                    &error.to_string(),
                ])?;
                continue;
            }
        }
        // +1: the header was read separately.
        let line = record.position().map(|p| p.line() + 1).unwrap_or(0);
        fields.clear();
        fields.extend(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned()),
        );
        let row: Vec<&str> = fields.iter().map(String::as_str).collect();
        match columns.parse(&row) {
            Ok(store) => {
                batch.push(store);
                if batch.len() == BATCH_ROWS {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                    if to_writer.send(Parsed::Batch(full)).is_err() {
                        return Ok(()); // the writer stopped (it reports why)
                    }
                }
            }
            Err(rejection) => {
                rejected.fetch_add(1, Ordering::Relaxed);
                let (id, name) = columns.identify(&row);
                rejects.write_record([
                    &line.to_string(),
                    &id,
                    &name,
                    rejection.code,
                    &t.get(rejection.code),
                    &rejection.detail,
                ])?;
            }
        }
    }
    if !batch.is_empty() {
        let _ = to_writer.send(Parsed::Batch(batch));
    }
    rejects.flush()?;
    Ok(())
}

fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Imports `file` into `store` with the row schema its header gives. Prints a progress line on
/// a terminal.
pub async fn import_file(
    store: &dyn Store,
    file: &Path,
    encoding: Option<Encoding>,
    schema_from_header: SchemaFromHeader,
    t: Tr,
) -> Result<Summary> {
    let total_bytes = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    let bytes_read = Arc::new(AtomicU64::new(0));
    let rejected = Arc::new(AtomicU64::new(0));
    let (to_writer, from_parser) = sync_channel(BATCHES_IN_FLIGHT);
    let parser = {
        let (file, bytes_read, rejected) = (file.to_owned(), bytes_read.clone(), rejected.clone());
        std::thread::spawn(move || {
            parse_file(
                file,
                encoding,
                schema_from_header,
                t,
                to_writer,
                bytes_read,
                rejected,
            )
        })
    };
    let prospects = Prospects {
        store,
        clock: &SystemClock,
    };
    let mut import = prospects.begin_import(Actor::system()).await?;
    let written = write_batches(
        &mut import,
        from_parser,
        total_bytes,
        &bytes_read,
        &rejected,
    )
    .await;
    // Indexes come back even when the write failed half-way.
    let finished = import.finish().await?;
    written?;
    parser
        .join()
        .map_err(|_| anyhow::anyhow!("the parsing thread panicked"))??;
    if finished.indexes_built {
        tracing::info!("secondary indexes built after the bulk load");
    }
    Ok(Summary {
        counts: finished.counts,
        rejected: rejected.load(Ordering::Relaxed),
    })
}

async fn write_batches(
    import: &mut ProspectImport<'_>,
    from_parser: Receiver<Parsed>,
    total_bytes: u64,
    bytes_read: &AtomicU64,
    rejected: &AtomicU64,
) -> Result<()> {
    let progress = std::io::stderr().is_terminal();
    let from_parser = Arc::new(std::sync::Mutex::new(from_parser));
    loop {
        // The channel is blocking; wait for it off the async threads.
        let receiver = from_parser.clone();
        let next =
            tokio::task::spawn_blocking(move || receiver.lock().ok().and_then(|r| r.recv().ok()))
                .await?;
        match next {
            None => break,
            Some(Parsed::Fatal(reason)) => bail!("{reason}"),
            Some(Parsed::Batch(batch)) => {
                import.save(&batch).await?;
                if progress {
                    let counts = import.counts();
                    let done =
                        bytes_read.load(Ordering::Relaxed) as f64 / total_bytes.max(1) as f64;
                    eprint!(
                        "\r{:>5.1}%  imported {}, updated {}, unchanged {}, rejected {}   ",
                        done * 100.0,
                        counts.imported,
                        counts.updated,
                        counts.unchanged,
                        rejected.load(Ordering::Relaxed)
                    );
                    let _ = std::io::stderr().flush();
                }
            }
        }
    }
    if progress {
        eprintln!();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        assert_eq!(
            detect_encoding("상가업소번호,상호명".as_bytes()),
            Encoding::Utf8
        );
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFabc"), Encoding::Utf8);
        let (cp949, _, _) = encoding_rs::EUC_KR.encode("상가업소번호,상호명");
        assert_eq!(detect_encoding(&cp949), Encoding::Cp949);
        // A UTF-8 character cut at the end of the sniffed window is still UTF-8.
        let bytes = "상가".as_bytes();
        assert_eq!(detect_encoding(&bytes[..4]), Encoding::Utf8);
        // So is a UTF-8 file with one damaged byte among much Korean text.
        let mut damaged = "상가업소번호,상호명,지점명,상권업종대분류코드\n"
            .repeat(5)
            .into_bytes();
        damaged[3] = 0xFF;
        assert_eq!(detect_encoding(&damaged), Encoding::Utf8);
    }

    fn limited(input: &[u8], max: usize, read_size: usize) -> (Vec<u8>, Vec<u64>) {
        use std::iter::FromIterator as _;
        let mut reader = LineLimit::new(input, max);
        reader.chunk = vec![0; read_size];
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        let too_long = Vec::from_iter(reader.too_long.borrow().iter().copied());
        (out, too_long)
    }

    #[test]
    fn long_lines_are_skipped_and_numbered_without_being_held() {
        let input = b"head\nshort\n0123456789abc\nok\r\nlast-too-long-line";
        for read_size in [1, 2, 3, 7, 64 * 1024] {
            let (out, too_long) = limited(input, 10, read_size);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "head\nshort\n\0gachi:line-too-long\0\nok\r\n\0gachi:line-too-long\0",
                "reads of {read_size}"
            );
            assert_eq!(too_long, [3, 5], "reads of {read_size}");
        }
        // A line of exactly the limit passes.
        let (out, too_long) = limited(b"0123456789\n", 10, 4);
        assert_eq!(out, b"0123456789\n");
        assert!(too_long.is_empty());
        // A 1 MB line is never held: the pending line stays within the limit.
        let big = [b"a\n".as_slice(), &vec![b'x'; 1 << 20], b"\nb\n"].concat();
        let mut reader = LineLimit::new(big.as_slice(), 100);
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = reader.read(&mut buf).unwrap();
            assert!(reader.pending.len() <= 100);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, b"a\n\0gachi:line-too-long\0\nb\n");
        assert_eq!(*reader.too_long.borrow(), [2]);
    }

    #[test]
    fn delimiters_follow_the_header() {
        assert_eq!(detect_delimiter("상가업소번호|상호명|지점명"), b'|');
        assert_eq!(detect_delimiter("\"상가업소번호\",\"상호명\""), b',');
    }
}
