//! The cache file's bytes: a readable header (what it is, its format number, the zhen version
//! that wrote it, the length and checksum of each part) and two postcard parts — a small head
//! decoded on every build and the large rest decoded only when it is used (both are always
//! checked, so a damaged file is never half trusted); written to a temporary
//! file and renamed, so a killed build never leaves half a file under the real name. Also the
//! serde adapters for values postcard cannot describe itself (JSON and template values).

use std::io::{self, BufRead, Read};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The first line of every cache file.
const MAGIC: &str = "ZHEN-CACHE";

/// Raised whenever the parts' layout changes, so that an older file is never misread.
pub const FORMAT: u32 = 2;

/// The version of zhen that writes the files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Why a file could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Written by another version of zhen (or another layout): the version it names.
    OtherVersion(String),
    /// Not a cache file, cut short or changed: what is wrong.
    Corrupt(String),
}

fn corrupt(why: impl Into<String>) -> Refused {
    Refused::Corrupt(why.into())
}

fn sum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The file's bytes for `head` and `rest`.
pub fn encode<H: Serialize, R: Serialize>(head: &H, rest: &R) -> Result<Vec<u8>, postcard::Error> {
    let head = postcard::to_stdvec(head)?;
    let rest = postcard::to_stdvec(rest)?;
    let header = format!(
        "{MAGIC}\nformat {FORMAT}\nzhen {VERSION}\n{} {:016x} {} {:016x}\n",
        head.len(),
        sum(&head),
        rest.len(),
        sum(&rest)
    );
    let mut bytes = header.into_bytes();
    bytes.extend_from_slice(&head);
    bytes.extend_from_slice(&rest);
    Ok(bytes)
}

/// A cache file whose head was decoded: the rest, checked but still to decode.
pub struct Opened {
    rest: Vec<u8>,
}

/// Reads a cache file from `reader`: its head decoded, its rest checked. Refused unless the
/// whole file is there, unchanged, and of this version.
pub fn open<H: DeserializeOwned>(mut reader: impl BufRead) -> Result<(H, Opened), Refused> {
    let mut line = || -> Result<String, Refused> {
        let mut l = String::new();
        reader
            .read_line(&mut l)
            .map_err(|_| corrupt("文件头无法读取"))?;
        l.strip_suffix('\n')
            .map(str::to_string)
            .ok_or_else(|| corrupt("文件头不完整"))
    };
    if line()? != MAGIC {
        return Err(corrupt("不是 zhen 的缓存文件"));
    }
    let format = line()?;
    let version = line()?;
    let version = version.strip_prefix("zhen ").unwrap_or(&version);
    if format != format!("format {FORMAT}") || version != VERSION {
        return Err(Refused::OtherVersion(version.to_string()));
    }
    let sizes = line()?;
    let fields: Vec<&str> = sizes.split(' ').collect();
    let (Some(len), Some(head_sum), Some(rest_len), Some(rest_sum)) = (
        fields.first().and_then(|n| n.parse::<usize>().ok()),
        fields.get(1).and_then(|s| u64::from_str_radix(s, 16).ok()),
        fields.get(2).and_then(|n| n.parse::<usize>().ok()),
        fields.get(3).and_then(|s| u64::from_str_radix(s, 16).ok()),
    ) else {
        return Err(corrupt("文件头不完整"));
    };
    let head = read_part(&mut reader, len, head_sum)?;
    let rest = read_part(&mut reader, rest_len, rest_sum)?;
    let mut extra = [0u8; 1];
    if reader.read(&mut extra).unwrap_or(0) != 0 {
        return Err(corrupt("文件比记录的长"));
    }
    let head = postcard::from_bytes(&head).map_err(|e| corrupt(format!("内容无法读取：{e}")))?;
    Ok((head, Opened { rest }))
}

impl Opened {
    /// The rest of the file, decoded.
    pub fn rest<T: DeserializeOwned>(self) -> Result<T, Refused> {
        postcard::from_bytes(&self.rest).map_err(|e| corrupt(format!("内容无法读取：{e}")))
    }
}

fn read_part(reader: &mut impl Read, len: usize, expected: u64) -> Result<Vec<u8>, Refused> {
    let mut bytes = Vec::new();
    reader
        .take(len as u64)
        .read_to_end(&mut bytes)
        .map_err(|_| corrupt("文件无法读取"))?;
    if bytes.len() != len {
        return Err(corrupt("文件不完整"));
    }
    if sum(&bytes) != expected {
        return Err(corrupt("校验和不对"));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed in one step.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// A JSON value (front matter's `[extra]`) as its JSON text.
pub mod json {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Rendered HTML held as a safe template string.
pub mod safe_html {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &tera::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str().unwrap_or_default())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<tera::Value, D::Error> {
        Ok(tera::Value::safe_string(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Head = String;
    type Rest = Vec<u64>;

    fn read(bytes: &[u8]) -> Result<(Head, Rest), Refused> {
        let (head, opened) = open::<Head>(bytes)?;
        Ok((head, opened.rest()?))
    }

    #[test]
    fn a_file_round_trips_and_any_damage_is_refused() {
        let value = (String::from("正文"), vec![1u64, 2, 3]);
        let bytes = encode(&value.0, &value.1).unwrap();
        assert_eq!(read(&bytes), Ok(value));
        for cut in [bytes.len() - 1, bytes.len() / 2, 10] {
            assert!(
                matches!(read(&bytes[..cut]), Err(Refused::Corrupt(_))),
                "{cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(read(&longer), Err(Refused::Corrupt(_))));
        for at in [bytes.len() - 1, bytes.len() - 4] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1;
            assert!(matches!(read(&flipped), Err(Refused::Corrupt(_))), "{at}");
        }
        let text = String::from_utf8_lossy(&bytes).replace(VERSION, "0.0.0-old");
        assert_eq!(
            read(text.as_bytes()),
            Err(Refused::OtherVersion("0.0.0-old".into()))
        );
        assert!(matches!(read(b"garbage"), Err(Refused::Corrupt(_))));
    }
}
