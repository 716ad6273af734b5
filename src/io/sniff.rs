//! Sniffing what a file is: its format by content (zip, OLE, text), its text encoding (BOM, UTF-8, a legacy
//! encoding guessed by chardetng), and decoding it to UTF-8 while noting every bad byte by line and column.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// What a file's bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Text,
    /// A zip container holding a spreadsheet (xlsx, xlsm).
    Xlsx,
    /// A zip container holding an OpenDocument spreadsheet.
    Ods,
    /// An OLE compound file: a legacy xls workbook.
    Xls,
    /// An OLE compound file holding an encrypted (password-protected) OOXML workbook.
    EncryptedOoxml,
    /// A zip file that is not a spreadsheet.
    OtherZip,
}

pub fn content_kind(bytes: &[u8]) -> ContentKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let head = &bytes[..bytes.len().min(4096)];
        if contains(
            head,
            b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        ) {
            return ContentKind::Ods;
        }
        if contains(bytes, b"xl/") || contains(head, b"[Content_Types].xml") {
            return ContentKind::Xlsx;
        }
        return ContentKind::OtherZip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let needle: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if contains(bytes, &needle) {
            return ContentKind::EncryptedOoxml;
        }
        return ContentKind::Xls;
    }
    ContentKind::Text
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// A text encoding as detected or chosen.
#[derive(Debug, Clone, Copy)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark, 0 when there is none.
    pub bom_len: usize,
    /// How it was decided: "bom", "utf-8", "detected", "given".
    pub how: &'static str,
    /// UTF-8 with a few bad byte sequences: the legacy encoding a detector would have guessed instead, for the
    /// error's hint. `None` for valid UTF-8 and every other encoding.
    pub legacy_guess: Option<&'static Encoding>,
}

impl TextEncoding {
    /// The name users know it by ("UTF-8 (BOM)", "GBK", "UTF-16LE").
    pub fn label(&self) -> String {
        let name = if self.encoding == GB18030 && self.how == "detected" {
            "GBK/GB18030"
        } else {
            self.encoding.name()
        };
        if self.bom_len > 0 {
            format!("{name} (BOM)")
        } else {
            name.to_string()
        }
    }
}

/// Detect the encoding of text bytes: a BOM decides; else UTF-16 by its NUL bytes; else valid (or nearly valid,
/// see `near_valid_utf8`) UTF-8; else chardetng's guess.
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return TextEncoding {
            encoding: enc,
            bom_len: len,
            how: "bom",
            legacy_guess: None,
        };
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return TextEncoding {
            encoding: enc,
            bom_len: 0,
            how: "detected",
            legacy_guess: None,
        };
    }
    let sample = &bytes[..bytes.len().min(UTF8_SAMPLE)];
    let evidence = match std::str::from_utf8(sample) {
        Ok(_) => None,
        // A character cut by the sample's end is not an error.
        Err(e) if e.error_len().is_none() && sample.len() < bytes.len() => None,
        Err(_) => Some(Utf8Evidence::of(sample)),
    };
    let Some(evidence) = evidence else {
        return TextEncoding {
            encoding: UTF_8,
            bom_len: 0,
            how: "utf-8",
            legacy_guess: None,
        };
    };
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut guess = det.guess(None, chardetng::Utf8Detection::Deny);
    // GB18030 is a superset of GBK (and of GB2312): decode with it so no valid GBK text is refused.
    if guess == GBK {
        guess = GB18030;
    }
    if let Some(strong) = evidence.near_valid_utf8(guess) {
        return TextEncoding {
            encoding: UTF_8,
            bom_len: 0,
            how: "utf-8",
            // Worth naming only when the evidence was thin: a mostly-Chinese UTF-8 file has no legacy twin.
            legacy_guess: (!strong).then_some(guess),
        };
    }
    TextEncoding {
        encoding: guess,
        bom_len: 0,
        how: "detected",
        legacy_guess: None,
    }
}

/// UTF-16 without a BOM: NUL bytes at most odd (LE) or even (BE) positions of the first kilobytes.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let odd_nul = head.chunks(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    let even_nul = head.chunks(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    if odd_nul * 10 >= pairs * 7 {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 is judged on the first megabyte: decoding validates the whole file anyway and reports any bad byte.
const UTF8_SAMPLE: usize = 1 << 20;

/// What the bytes of a text say for and against UTF-8: its valid multi-byte characters, and its bytes that are
/// not UTF-8 (counted one by one, and as the sequences std reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Utf8Evidence {
    valid_multibyte: usize,
    invalid_bytes: usize,
    invalid_sequences: usize,
}

impl Utf8Evidence {
    fn of(sample: &[u8]) -> Utf8Evidence {
        let mut e = Utf8Evidence {
            valid_multibyte: 0,
            invalid_bytes: 0,
            invalid_sequences: 0,
        };
        for chunk in sample.utf8_chunks() {
            e.valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            if !chunk.invalid().is_empty() {
                e.invalid_sequences += 1;
                e.invalid_bytes += chunk.invalid().len();
            }
        }
        e
    }

    /// UTF-8 with a few damaged bytes rather than text in the legacy encoding `guess`. Damaged UTF-8 is refused
    /// with the line and column of each bad byte; legacy text read as UTF-8 would be refused the same way, while
    /// UTF-8 read as a legacy encoding changes every accented letter silently (`Zoë` becomes `ZoÃ«`). So:
    /// - any guess: UTF-8 when valid multi-byte characters are at least 4 and at least twice the bad sequences;
    /// - a single-byte guess (windows-1252, ISO-8859-x, KOI8...): UTF-8 as soon as valid multi-byte characters
    ///   are at least half the bad bytes. In such text a valid UTF-8 sequence is an accident (a capital letter
    ///   followed by a symbol): measured on generated lists of names, valid/bad is 0 for windows-1250/1252/
    ///   1253-1256 and KOI8-R, and for windows-1251 at most 0.30 from two rows on (1.0 on a one-row file, where
    ///   Ukrainian `Ві` is valid UTF-8);
    /// - a double-byte guess (GBK, Big5, Shift_JIS, EUC-KR): only the first rule, because there valid
    ///   sequences are common by chance (valid/bad up to 0.5 for GBK, EUC-KR and Shift_JIS lists of names, more
    ///   with one-character fields such as a gender column `女`).
    ///
    /// `Some(true)` by the first rule, `Some(false)` by the second, `None` when the text is not near-valid UTF-8.
    fn near_valid_utf8(&self, guess: &'static Encoding) -> Option<bool> {
        let v = self.valid_multibyte;
        if v >= 4 && v >= self.invalid_sequences * 2 {
            return Some(true);
        }
        (guess.is_single_byte() && v >= 1 && v * 2 >= self.invalid_bytes).then_some(false)
    }
}

/// A spot in the decoded text that is not what the encoding allows (or a NUL byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSpot {
    pub line: u64,
    pub column: u64,
    pub reason: String,
}

/// Text decoded to UTF-8, with bad bytes replaced by U+FFFD and listed.
pub struct Decoded {
    pub text: String,
    pub bad: Vec<BadSpot>,
}

/// How many bad spots are listed at most; the count beyond is still known to be non-zero.
const MAX_BAD_SPOTS: usize = 10_000;

/// Decode bytes (BOM included) with the given encoding. Valid UTF-8 is taken over without a copy.
pub fn decode_owned(mut bytes: Vec<u8>, enc: TextEncoding) -> Decoded {
    if enc.encoding == UTF_8 {
        bytes.drain(..enc.bom_len.min(bytes.len()));
        // SIMD validation: several times faster than std's on large files; std's runs only on the rare
        // failure, to locate the bad bytes.
        if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: simdutf8 has just validated these bytes as UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return with_nul_spots(text, Vec::new());
        }
        return decode(&bytes, TextEncoding { bom_len: 0, ..enc });
    }
    decode(&bytes, enc)
}

/// Decode bytes (BOM included) with the given encoding.
pub fn decode(bytes: &[u8], enc: TextEncoding) -> Decoded {
    let body = &bytes[enc.bom_len.min(bytes.len())..];
    let mut bad_offsets: Vec<(usize, String)> = Vec::new();
    let text = if enc.encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let mut out = String::with_capacity(body.len());
                // Adjacent invalid sequences (a damaged multi-byte character) make one bad spot.
                let mut run: Option<(usize, Vec<u8>)> = None;
                for chunk in body.utf8_chunks() {
                    if !chunk.valid().is_empty() {
                        if let Some((at, bytes)) = run.take() {
                            if bad_offsets.len() < MAX_BAD_SPOTS {
                                bad_offsets.push((at, invalid_bytes_reason(&bytes, "UTF-8")));
                            }
                        }
                    }
                    out.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() {
                        match &mut run {
                            Some((_, bytes)) => bytes.extend_from_slice(chunk.invalid()),
                            None => run = Some((out.len(), chunk.invalid().to_vec())),
                        }
                        out.push('\u{FFFD}');
                    }
                }
                if let Some((at, bytes)) = run {
                    if bad_offsets.len() < MAX_BAD_SPOTS {
                        bad_offsets.push((at, invalid_bytes_reason(&bytes, "UTF-8")));
                    }
                }
                out
            }
        }
    } else {
        decode_legacy(body, enc.encoding, &mut bad_offsets)
    };
    with_nul_spots(text, bad_offsets)
}

fn with_nul_spots(text: String, mut bad_offsets: Vec<(usize, String)>) -> Decoded {
    // NUL bytes: a text file has none; they usually mean a binary file or a wrong encoding.
    if text.as_bytes().contains(&0) {
        for (i, b) in text.bytes().enumerate() {
            if b == 0 && bad_offsets.len() < MAX_BAD_SPOTS {
                bad_offsets.push((i, "NUL byte (0x00)".to_string()));
            }
        }
        bad_offsets.sort_by_key(|(o, _)| *o);
    }
    let bad = locate(&text, bad_offsets);
    Decoded { text, bad }
}

fn invalid_bytes_reason(bytes: &[u8], enc: &str) -> String {
    let hex: Vec<String> = bytes.iter().take(4).map(|b| format!("0x{b:02X}")).collect();
    format!("invalid {enc} byte sequence {}", hex.join(" "))
}

fn decode_legacy(
    body: &[u8],
    encoding: &'static Encoding,
    bad: &mut Vec<(usize, String)>,
) -> String {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len() * 3);
    let mut out = String::with_capacity(cap);
    let mut src = body;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, true);
        let consumed = &src[..read];
        src = &src[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => {
                out.reserve(src.len() * 3 + 16);
            }
            encoding_rs::DecoderResult::Malformed(bad_len, _) => {
                let bad_len = bad_len as usize;
                let start = consumed.len().saturating_sub(bad_len);
                if bad.len() < MAX_BAD_SPOTS {
                    bad.push((
                        out.len(),
                        invalid_bytes_reason(&consumed[start..], encoding.name()),
                    ));
                }
                out.push('\u{FFFD}');
            }
        }
    }
    out
}

/// Turn byte offsets in decoded text into 1-based lines and columns (columns in characters).
fn locate(text: &str, offsets: Vec<(usize, String)>) -> Vec<BadSpot> {
    let mut spots = Vec::with_capacity(offsets.len());
    let (mut line, mut line_start, mut pos) = (1u64, 0usize, 0usize);
    let bytes = text.as_bytes();
    for (off, reason) in offsets {
        while pos < off {
            if bytes[pos] == b'\n' {
                line += 1;
                line_start = pos + 1;
            }
            pos += 1;
        }
        let column = text[line_start..off].chars().count() as u64 + 1;
        spots.push(BadSpot {
            line,
            column,
            reason,
        });
    }
    spots
}

/// Guess the delimiter among comma, semicolon, tab and pipe: the one that splits the first records into
/// the same number (more than one) of fields most consistently.
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample_end = {
        let mut end = text.len().min(64 * 1024);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        end
    };
    let sample = &text[..sample_end];
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while counts.len() < 50 {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => counts.push(rec.len()),
                _ => break,
            }
        }
        // The last sampled record may be cut off by the sample's end.
        if sample_end < text.len() && counts.len() > 1 {
            counts.pop();
        }
        let Some(&first) = counts.first() else {
            continue;
        };
        let width = counts.iter().copied().max().unwrap_or(first);
        if width < 2 {
            continue;
        }
        // Consistency: how many records share the most common field count.
        let mut freq = std::collections::HashMap::new();
        for c in &counts {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let Some((&mode, &agree)) = freq.iter().max_by_key(|(c, n)| (**n, **c)) else {
            continue;
        };
        if mode < 2 {
            continue;
        }
        let score = (agree, mode);
        if score > (best.1, best.2) {
            best = (d, agree, mode);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_decides() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFa,b").bom_len, 3);
        assert_eq!(detect_encoding(b"\xFF\xFEa\0,\0").encoding, UTF_16LE);
        assert_eq!(detect_encoding(b"\xFE\xFF\0a\0,").encoding, UTF_16BE);
    }

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (bytes, _, _) = GBK.encode("姓名,手机号\n张伟,13812345678\n欧阳娜娜,13900001111\n");
        let enc = detect_encoding(&bytes);
        assert_eq!(enc.encoding, GB18030);
        let d = decode(&bytes, enc);
        assert!(d.bad.is_empty());
        assert!(d.text.contains("张伟"));
    }

    #[test]
    fn damaged_utf8_stays_utf8_and_names_line_and_column() {
        let mut bytes = "姓名,城市\n张伟,北京\n李娜,上海\n".as_bytes().to_vec();
        let pos = bytes.iter().rposition(|&b| b == b'\n').unwrap() - 3;
        bytes[pos] = 0xFF;
        let enc = detect_encoding(&bytes);
        assert_eq!(enc.encoding, UTF_8);
        let d = decode(&bytes, enc);
        assert_eq!(d.bad.len(), 1);
        assert_eq!(d.bad[0].line, 3);
        assert!(d.bad[0].reason.contains("0xFF"));
    }

    #[test]
    fn utf8_with_two_bad_bytes_stays_utf8() {
        // One accented name, then FF FE inside another: not windows-1252 (which would make Zoë ZoÃ«).
        let bytes = b"name,email\nZo\xC3\xAB,zoe@x.com\nAnn B\xFF\xFEown,ann@x.com\nBob,b@x.com\n";
        let enc = detect_encoding(bytes);
        assert_eq!(enc.encoding, UTF_8);
        assert!(enc.legacy_guess.is_some_and(|g| g.is_single_byte()));
        let d = decode(bytes, enc);
        assert_eq!(d.bad.len(), 1);
        assert_eq!((d.bad[0].line, d.bad[0].column), (3, 6));
    }

    #[test]
    fn legacy_single_byte_text_is_still_detected() {
        let (latin, _, _) =
            encoding_rs::WINDOWS_1252.encode("name,city\nZoë Müller,Köln\nJosé,Sevilla\n");
        assert_eq!(detect_encoding(&latin).encoding.name(), "windows-1252");
        let (cyr, _, _) = encoding_rs::WINDOWS_1251
            .encode("имя,город\nВіктор,Київ\nОлександр,Львів\nВладимир,Москва\n");
        assert_eq!(detect_encoding(&cyr).encoding.name(), "windows-1251");
    }

    #[test]
    fn double_byte_text_with_accidental_utf8_is_not_utf8() {
        // `女` in GBK (C5 AE) is also valid UTF-8; a gender column must not make the file look like UTF-8.
        let (gbk, _, _) = GBK.encode("姓名,性别,城市\n张伟,男,北京\n李娜,女,上海\n王芳,女,广州\n");
        assert_eq!(detect_encoding(&gbk).encoding, GB18030);
        let (big5, _, _) = encoding_rs::BIG5.encode("姓名,城市\n張偉,台北\n王芳,高雄\n");
        assert_eq!(detect_encoding(&big5).encoding.name(), "Big5");
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("名前,都市\n山田太郎,東京\n佐藤花子,大阪\n");
        assert_eq!(detect_encoding(&sjis).encoding.name(), "Shift_JIS");
    }

    #[test]
    fn nul_bytes_are_reported() {
        let d = decode(b"a,b\n1,\0\n", detect_encoding(b"a,b\n1,\0\n"));
        assert_eq!(d.bad[0].line, 2);
        assert_eq!(d.bad[0].column, 3);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter("only\none\n"), b',');
    }

    #[test]
    fn content_kinds() {
        assert_eq!(content_kind(b"a,b\n"), ContentKind::Text);
        assert_eq!(
            content_kind(b"PK\x03\x04....[Content_Types].xml...xl/workbook.xml"),
            ContentKind::Xlsx
        );
    }
}
