//! The command line in Chinese: clap's help pages get Chinese headings, flags and defaults, and
//! its errors (an unknown command, a bad value …) are told in Chinese with its suggestion.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}\n";

/// `command` and all its subcommands with Chinese help.
pub fn localize(command: Command) -> Command {
    localize_one(command, "")
}

fn localize_one(command: Command, parent: &str) -> Command {
    let name = if parent.is_empty() {
        command.get_name().to_string()
    } else {
        format!("{parent} {}", command.get_name())
    };
    let has_subcommands = command.has_subcommands();
    let mut command = command
        .help_template(TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .next_help_heading("选项")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(translate_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if command.get_version().is_some() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    let usage = command
        .clone()
        .render_usage()
        .to_string()
        .replace("Usage: ", "")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>");
    let usage = match usage.split_once(' ') {
        Some((_, rest)) => format!("{name} {rest}"),
        None => name.clone(),
    };
    command = command.override_usage(usage);
    if has_subcommands {
        command = command.mut_subcommands(|sub| localize_one(sub, &name));
    }
    command
}

/// Shows an argument's default and choices in its Chinese help instead of clap's English
/// `[default: …]` and `[possible values: …]`.
fn translate_arg(mut arg: Arg) -> Arg {
    if matches!(arg.get_help_heading(), None | Some("Options" | "Arguments")) {
        let heading = if arg.is_positional() {
            "参数"
        } else {
            "选项"
        };
        arg = arg.help_heading(heading);
    }
    let mut notes = Vec::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("默认：{}", defaults.join(", ")));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("可选：{}", values.join("、")));
    }
    if notes.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    arg.hide_default_value(true)
        .hide_possible_values(true)
        .help(format!("{help}（{}）", notes.join("；")))
}

/// A command-line error in Chinese, with clap's suggestion.
pub fn explain(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            text(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("没有“{arg}”这个选项"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("{arg} 的值“{value}”不对")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必须写的参数：{arg}"),
        ErrorKind::NoEquals => format!("{arg} 后面要用 = 写值"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::ArgumentConflict => format!("{arg} 不能和别的选项一起用"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_string()
        }
        _ => "命令行参数有误".to_string(),
    };
    if let Some(valid) = text(ContextKind::ValidValue) {
        message.push_str(&format!("；可以写：{valid}"));
    }
    let suggestion = text(ContextKind::SuggestedSubcommand)
        .or_else(|| text(ContextKind::SuggestedArg))
        .or_else(|| text(ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        message.push_str(&format!("。你是不是想写“{s}”？"));
    }
    format!(
        "错误: {message}\n  = 提示: 运行 zhen --help 查看所有命令，zhen <命令> --help 查看它的选项"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli() -> Command {
        localize(
            Command::new("zhen")
                .version("1.0")
                .about("镇")
                .subcommand(
                    Command::new("build").arg(
                        Arg::new("port")
                            .long("port")
                            .default_value("1111")
                            .value_parser(clap::value_parser!(u16))
                            .help("端口"),
                    ),
                )
                .subcommand(Command::new("check")),
        )
    }

    fn error(args: &[&str]) -> String {
        explain(&cli().try_get_matches_from(args).unwrap_err())
    }

    #[test]
    fn errors_are_chinese_with_the_suggestion() {
        let e = error(&["zhen", "biuld"]);
        assert!(e.contains("没有“biuld”这个命令"), "{e}");
        assert!(e.contains("你是不是想写“build”？"), "{e}");
        let e = error(&["zhen", "build", "--port", "abc"]);
        assert!(e.contains("--port <port> 的值“abc”不对"), "{e}");
        let e = error(&["zhen", "build", "--prot", "1"]);
        assert!(e.contains("没有“--prot”这个选项"), "{e}");
        assert!(e.contains("--port"), "{e}");
    }

    #[test]
    fn help_is_chinese() {
        let help = cli()
            .find_subcommand_mut("build")
            .unwrap()
            .render_help()
            .to_string();
        for english in ["Usage", "Options", "Print help", "[default"] {
            assert!(!help.contains(english), "{english} in {help}");
        }
        assert!(help.contains("用法：zhen build [选项]"), "{help}");
        assert!(help.contains("端口（默认：1111）"), "{help}");
        assert!(help.contains("显示帮助"), "{help}");
        let top = cli().render_help().to_string();
        assert!(top.contains("命令") && !top.contains("Commands"), "{top}");
    }
}
