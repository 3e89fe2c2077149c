//! Hook payloads and replies of the coding agents we integrate with. All of
//! them send one JSON object on stdin; they differ in field names and in how
//! a hook denies, blocks or replaces (see docs/agents.md).

use std::path::PathBuf;

use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    Claude,
    Droid,
    Codex,
    Gemini,
    Cursor,
}

impl Agent {
    pub const ALL: [Agent; 5] = [
        Agent::Claude,
        Agent::Droid,
        Agent::Codex,
        Agent::Gemini,
        Agent::Cursor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Droid => "droid",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
            Agent::Cursor => "cursor",
        }
    }

    pub fn from_name(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Guesses the agent from a payload, for hooks installed without `--agent`.
    pub fn sniff(payload: &Value) -> Agent {
        let has = |k: &str| payload.get(k).is_some();
        let event = event_name(payload);
        if has("cursor_version")
            || has("conversation_id")
            || event.starts_with(|c: char| c.is_ascii_lowercase())
        {
            Agent::Cursor
        } else if matches!(
            event,
            "BeforeTool" | "AfterTool" | "BeforeAgent" | "BeforeModel"
        ) {
            Agent::Gemini
        } else if has("turn_id") {
            Agent::Codex
        } else if has("hookEventName") || payload["tool_name"] == "Execute" {
            Agent::Droid
        } else {
            Agent::Claude
        }
    }
}

fn event_name(payload: &Value) -> &str {
    payload["hook_event_name"]
        .as_str()
        .or_else(|| payload["hookEventName"].as_str())
        .unwrap_or("")
}

/// Shell tool names across agents (Codex reports all its shell tools as Bash).
const SHELL_TOOLS: &[&str] = &[
    "Bash",
    "PowerShell",
    "Execute",
    "run_shell_command",
    "Shell",
    "shell",
    "local_shell",
    "shell_command",
    "exec_command",
];

/// What a hook call is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A shell command about to run.
    Shell {
        command: String,
        cwd: Option<PathBuf>,
    },
    /// A prompt about to be sent.
    Prompt { text: String },
    /// A tool's output about to reach the model.
    ToolOutput { output: Value },
    /// Anything else: allowed untouched.
    Other,
}

/// Reads the event out of a payload.
pub fn event(payload: &Value) -> Event {
    let name = event_name(payload);
    let tool = payload["tool_name"].as_str().unwrap_or("");
    let cwd = payload["cwd"]
        .as_str()
        .or_else(|| payload["tool_input"]["cwd"].as_str())
        .or_else(|| payload["workspace_roots"][0].as_str())
        .map(PathBuf::from);
    match name {
        "beforeShellExecution" => Event::Shell {
            command: payload["command"].as_str().unwrap_or("").to_string(),
            cwd,
        },
        "PreToolUse" | "BeforeTool" | "preToolUse" if SHELL_TOOLS.contains(&tool) => Event::Shell {
            command: payload["tool_input"]["command"]
                .as_str()
                .or_else(|| payload["command"].as_str())
                .unwrap_or("")
                .to_string(),
            cwd,
        },
        "UserPromptSubmit" | "BeforeAgent" | "beforeSubmitPrompt" => Event::Prompt {
            text: payload["prompt"].as_str().unwrap_or("").to_string(),
        },
        "PostToolUse" | "AfterTool" if !payload["tool_response"].is_null() => Event::ToolOutput {
            output: payload["tool_response"].clone(),
        },
        _ => Event::Other,
    }
}

/// A hook's answer: what to print and the exit code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub exit: i32,
}

impl Reply {
    pub fn allow() -> Reply {
        Reply::default()
    }

    /// Deny a shell command. Exit 2 with the reason on stderr is understood
    /// by every agent (Codex needs stderr non-empty); Cursor also gets its
    /// `permission` JSON.
    pub fn deny_shell(agent: Agent, reason: &str) -> Reply {
        let stdout = (agent == Agent::Cursor).then(|| {
            json!({ "permission": "deny", "user_message": reason, "agent_message": reason })
                .to_string()
        });
        Reply {
            stdout,
            stderr: Some(reason.to_string()),
            exit: 2,
        }
    }

    /// Block a prompt (the agents drop it from the conversation).
    pub fn block_prompt(agent: Agent, reason: &str) -> Reply {
        let stdout = (agent == Agent::Cursor)
            .then(|| json!({ "continue": false, "user_message": reason }).to_string());
        Reply {
            stdout,
            stderr: Some(reason.to_string()),
            exit: 2,
        }
    }

    /// Replace a tool's output with its redacted form where the protocol
    /// allows; where it does not, tell the model not to use the secret.
    pub fn replace_output(agent: Agent, redacted: &Value, summary: &str) -> Reply {
        let text = || match redacted {
            Value::String(s) => s.clone(),
            Value::Object(o) if o.contains_key("llmContent") => match &o["llmContent"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
            other => other.to_string(),
        };
        let out = match agent {
            Agent::Claude => json!({
                "hookSpecificOutput": { "hookEventName": "PostToolUse", "updatedToolOutput": redacted }
            }),
            Agent::Gemini => json!({
                "decision": "deny",
                "reason": text(),
                "hookSpecificOutput": { "hookEventName": "AfterTool", "tool_output": text() },
            }),
            Agent::Codex => {
                json!({ "decision": "block", "reason": format!("{summary}\n{}", text()) })
            }
            Agent::Droid | Agent::Cursor => json!({
                "decision": "block",
                "reason": format!("{summary} Do not repeat, store or send these values."),
            }),
        };
        Reply {
            stdout: Some(out.to_string()),
            stderr: None,
            exit: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_each_agent() {
        let claude = json!({"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git push"},"cwd":"/r"});
        assert_eq!(
            event(&claude),
            Event::Shell {
                command: "git push".into(),
                cwd: Some("/r".into())
            }
        );
        assert_eq!(Agent::sniff(&claude), Agent::Claude);
        let droid = json!({"hookEventName":"PreToolUse","tool_name":"Execute","tool_input":{"command":"git commit -am x"},"cwd":"/r"});
        assert!(matches!(event(&droid), Event::Shell { .. }));
        assert_eq!(Agent::sniff(&droid), Agent::Droid);
        let gemini = json!({"hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"ls"}});
        assert_eq!(Agent::sniff(&gemini), Agent::Gemini);
        assert!(matches!(event(&gemini), Event::Shell { .. }));
        let cursor = json!({"hook_event_name":"beforeShellExecution","command":"git push","cwd":"/r","conversation_id":"c"});
        assert_eq!(Agent::sniff(&cursor), Agent::Cursor);
        assert_eq!(
            event(&cursor),
            Event::Shell {
                command: "git push".into(),
                cwd: Some("/r".into())
            }
        );
        let prompt = json!({"hook_event_name":"UserPromptSubmit","prompt":"hi"});
        assert_eq!(event(&prompt), Event::Prompt { text: "hi".into() });
        let read = json!({"hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"file_path":"x"}});
        assert_eq!(event(&read), Event::Other);
    }

    #[test]
    fn deny_replies() {
        let r = Reply::deny_shell(Agent::Codex, "secret");
        assert_eq!((r.exit, r.stderr.as_deref()), (2, Some("secret")));
        let r = Reply::deny_shell(Agent::Cursor, "secret");
        let v: Value = serde_json::from_str(r.stdout.as_deref().unwrap()).unwrap();
        assert_eq!(v["permission"], "deny");
    }
}
