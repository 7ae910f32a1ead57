//! Keeps a panic in zhen's own code from stopping the preview: a rebuild (or a search index)
//! that panics is reported like a failed one, as an internal error to pass on to the
//! developers, and the last good site stays served.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`; a panic becomes the message shown to the user.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    // Whatever `f` changed may be half done: callers throw away the state it touched.
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "未知的错误".to_string());
        format!("zhen 内部错误：{what}，请把这段信息报告给开发者")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_naming_its_message() {
        let err =
            catch(|| -> u32 { panic!("end byte index 12 is not a char boundary") }).unwrap_err();
        assert_eq!(
            err,
            "zhen 内部错误：end byte index 12 is not a char boundary，请把这段信息报告给开发者"
        );
        let n = 3;
        let err = catch(|| -> u32 { panic!("第 {n} 个输出") }).unwrap_err();
        assert!(err.contains("第 3 个输出"), "{err}");
        assert_eq!(catch(|| 7), Ok(7));
    }
}
