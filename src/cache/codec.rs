//! The cache's files: `state.bin`, a readable header (what it is, its format number, the zhen
//! version that wrote it, the length and checksum of what follows) and a small postcard head,
//! read by every build; and the parts (the stages' caches), each cut into shards by key in
//! files named by their checksum, read only when the pipeline runs. A shard whose bytes did not
//! change is not written again, so a build after a one-post edit rewrites a few shards, not the
//! whole cache. Every file is checked before it is decoded, so a damaged one is never half
//! trusted, and written to a temporary file and renamed: a killed build leaves the last
//! `state.bin` and the shards it names. Also the serde adapters for values postcard cannot
//! describe itself (JSON and template values).

use std::fs;
use std::io::{self, BufRead, Read};
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The first line of every cache file.
const MAGIC: &str = "ZHEN-CACHE";

/// Raised whenever the layout changes, so that an older cache is never misread.
pub const FORMAT: u32 = 3;

/// The version of zhen that writes the files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How many shards each part is cut into.
const SHARDS: u64 = 64;

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

/// The bytes of `state.bin` for `head`.
pub fn encode<H: Serialize>(head: &H) -> Result<Vec<u8>, postcard::Error> {
    let head = postcard::to_stdvec(head)?;
    let header = format!(
        "{MAGIC}\nformat {FORMAT}\nzhen {VERSION}\n{} {:016x}\n",
        head.len(),
        sum(&head),
    );
    let mut bytes = header.into_bytes();
    bytes.extend_from_slice(&head);
    Ok(bytes)
}

/// Reads `state.bin` from `reader`: its head, decoded. Refused unless the whole file is
/// there, unchanged, and of this version.
pub fn open<H: DeserializeOwned>(mut reader: impl BufRead) -> Result<H, Refused> {
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
    let (Some(len), Some(head_sum)) = sizes
        .split_once(' ')
        .map(|(len, s)| (len.parse::<usize>().ok(), u64::from_str_radix(s, 16).ok()))
        .unwrap_or_default()
    else {
        return Err(corrupt("文件头不完整"));
    };
    let head = read_part(&mut reader, len, head_sum)?;
    let mut extra = [0u8; 1];
    if reader.read(&mut extra).unwrap_or(0) != 0 {
        return Err(corrupt("文件比记录的长"));
    }
    postcard::from_bytes(&head).map_err(|e| corrupt(format!("内容无法读取：{e}")))
}

fn read_part(reader: &mut impl Read, len: usize, expected: u64) -> Result<Vec<u8>, Refused> {
    let mut bytes = Vec::with_capacity(len);
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

/// One shard of a part: its file in the cache folder, with the length and checksum of its
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub file: String,
    len: u64,
    sum: u64,
}

/// Writes the entries of the part `part` into `dir` as shards (an entry's shard follows from
/// its `key`; a shard holds its entries sorted by key) and returns them. A shard of `previous`
/// with the same bytes is kept as it is, not written again.
pub fn write_part<E, K>(
    dir: &Path,
    part: &str,
    entries: &[E],
    key: K,
    previous: &[Shard],
) -> io::Result<Vec<Shard>>
where
    E: Serialize + Sync,
    K: Fn(&E) -> &str + Sync,
{
    let mut shards: Vec<Vec<&E>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for e in entries {
        shards[(sum(key(e).as_bytes()) % SHARDS) as usize].push(e);
    }
    shards
        .into_par_iter()
        .enumerate()
        .map(|(i, mut shard)| {
            shard.sort_unstable_by(|a, b| key(a).cmp(key(b)));
            let bytes = postcard::to_stdvec(&shard).map_err(io::Error::other)?;
            let sum = sum(&bytes);
            let shard = Shard {
                file: format!("{part}-{i:02}-{sum:016x}.bin"),
                len: bytes.len() as u64,
                sum,
            };
            let kept = previous.contains(&shard)
                && fs::metadata(dir.join(&shard.file)).is_ok_and(|m| m.len() == shard.len);
            if !kept {
                write_atomic(&dir.join(&shard.file), &bytes)?;
            }
            Ok(shard)
        })
        .collect()
}

/// The entries of a part, read from its shards in `dir`; refused when a shard is missing,
/// cut short or changed.
pub fn read_part_files<E: DeserializeOwned + Send>(
    dir: &Path,
    shards: &[Shard],
) -> Result<Vec<E>, Refused> {
    let read: Vec<Vec<E>> = shards
        .par_iter()
        .map(|shard| {
            let file = fs::File::open(dir.join(&shard.file))
                .map_err(|_| corrupt(format!("缺少 {}", shard.file)))?;
            let len = usize::try_from(shard.len).map_err(|_| corrupt("文件太大"))?;
            let mut reader = io::BufReader::new(file);
            let bytes = read_part(&mut reader, len, shard.sum)?;
            let mut extra = [0u8; 1];
            if reader.read(&mut extra).unwrap_or(0) != 0 {
                return Err(corrupt("文件比记录的长"));
            }
            postcard::from_bytes(&bytes).map_err(|e| corrupt(format!("内容无法读取：{e}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(read.into_iter().flatten().collect())
}

/// Removes the shard files in `dir` that `keep` does not name (left by earlier builds).
pub fn remove_other_shards(dir: &Path, keep: &std::collections::HashSet<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let shard = name
            .strip_suffix(".bin")
            .and_then(|n| n.rsplit_once('-'))
            .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if shard && !keep.contains(name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed in one step.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// A set written in order, so that the same set always gives the same bytes (and its shard
/// is not written again).
pub fn sorted<S: serde::Serializer>(
    set: &std::collections::HashSet<String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut items: Vec<&String> = set.iter().collect();
    items.sort_unstable();
    s.collect_seq(items)
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

    #[test]
    fn a_state_file_round_trips_and_any_damage_is_refused() {
        let head = (String::from("正文"), vec![1u64, 2, 3]);
        let bytes = encode(&head).unwrap();
        let read = |bytes: &[u8]| open::<(String, Vec<u64>)>(bytes);
        assert_eq!(read(&bytes), Ok(head));
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

    #[test]
    fn a_part_round_trips_and_only_changed_shards_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let entries: Vec<(String, u32)> = (0..500).map(|i| (format!("p{i}"), i)).collect();
        fn key(e: &(String, u32)) -> &str {
            &e.0
        }
        let shards = write_part(dir.path(), "t", &entries, key, &[]).unwrap();
        let mut back: Vec<(String, u32)> = read_part_files(dir.path(), &shards).unwrap();
        back.sort_by_key(|e| e.1);
        assert_eq!(back, entries);
        // One entry changed: one shard is new, the others are the same files.
        let mut changed = entries.clone();
        changed[7].1 = 9999;
        let again = write_part(dir.path(), "t", &changed, key, &shards).unwrap();
        let new: Vec<_> = again.iter().filter(|s| !shards.contains(s)).collect();
        assert_eq!(new.len(), 1, "{new:?}");
        let keep = again.iter().map(|s| s.file.as_str()).collect();
        remove_other_shards(dir.path(), &keep);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), again.len());
        // A shard cut short or changed is refused.
        let victim = dir.path().join(&new[0].file);
        let bytes = fs::read(&victim).unwrap();
        fs::write(&victim, &bytes[..bytes.len() - 1]).unwrap();
        let read = read_part_files::<(String, u32)>(dir.path(), &again);
        assert!(matches!(read, Err(Refused::Corrupt(_))));
        let mut flipped = bytes.clone();
        flipped[0] ^= 1;
        fs::write(&victim, flipped).unwrap();
        let read = read_part_files::<(String, u32)>(dir.path(), &again);
        assert!(matches!(read, Err(Refused::Corrupt(_))));
        fs::remove_file(&victim).unwrap();
        let read = read_part_files::<(String, u32)>(dir.path(), &again);
        assert!(matches!(read, Err(Refused::Corrupt(_))));
    }
}
