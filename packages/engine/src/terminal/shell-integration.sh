# Drydock's shell integration for the learner's interactive bash: the
# standard semantic-prompt marks (OSC 133, as FinalTerm, VS Code, WezTerm,
# iTerm2 and kitty read them), so the agent learns from the terminal stream
# where prompts are and how each command ended, without reading the screen:
#   ESC ] 133 ; A BEL          a prompt starts
#   ESC ] 133 ; B BEL          the prompt ends, the command line starts
#   ESC ] 133 ; C ; cmdline_url=<line> BEL
#                              the command runs (its output follows); the
#                              line as the shell's history recorded it,
#                              percent-encoded (kitty's extension), and
#                              without it when history kept nothing new (a
#                              line starting with a space, or a repeat)
#   ESC ] 133 ; D ; <exit> BEL the command ended with that exit status
# Inside tmux each mark is wrapped in tmux's passthrough (DCS tmux; …, with
# the session's allow-passthrough on): tmux drops OSCs it does not know, and
# the passthrough hands the mark to every client the pane is shown to.
#
# The engine passes this script in DRYDOCK_SHELL_INTEGRATION and bootstraps
# it with PROMPT_COMMAND='eval "$DRYDOCK_SHELL_INTEGRATION"', so it loads at
# the first prompt, after the learner's ~/.bashrc, with nothing written to
# their disk. It then takes both out of the environment: programs and nested
# shells the learner starts see neither.
unset DRYDOCK_SHELL_INTEGRATION
export -n PROMPT_COMMAND

__drydock_mark() {
  if [[ -n ${TMUX:-} ]]; then
    # printf's \\ is the backslash of ST (ESC \), not an escaped quote.
    # shellcheck disable=SC1003
    printf '\ePtmux;\e\e]133;%s\a\e\\' "$1"
  else
    printf '\e]133;%s\a' "$1"
  fi
}

# A mark as prompt text: bash decodes backslashes in PS1 and PS0, so the
# passthrough's own backslash is doubled; \[ \] tell readline it takes no room.
__drydock_prompt_mark() {
  local mark
  mark=$(__drydock_mark "$1")
  printf '%s' "${mark//\\/\\\\}"
}
__drydock_command_line_mark="\\[$(__drydock_prompt_mark B)\\]"
# PS0 expands this as the command starts (in a subshell: it can read, not set).
# shellcheck disable=SC2016 # expanded by PS0 at each command, not here
__drydock_command_runs_mark='$(__drydock_command_runs)'

__drydock_command_runs() {
  local LC_ALL=C entry number line encoded="" i c
  entry=$(HISTTIMEFORMAT='' builtin history 1)
  [[ $entry =~ ^[[:space:]]*([0-9]+)[*[:space:]]+(.*)$ ]] || { __drydock_mark C; return; }
  number=${BASH_REMATCH[1]} line=${BASH_REMATCH[2]:0:1000}
  # Only the entry this command added: the history's last one is an older command's otherwise.
  if [[ $number != "${__drydock_next_history:-}" ]]; then
    __drydock_mark C
    return
  fi
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    case $c in
    [A-Za-z0-9._~/-]) encoded+=$c ;;
    *) printf -v c '%%%02X' "'$c" && encoded+=$c ;;
    esac
  done
  __drydock_mark "C;cmdline_url=$encoded"
}

__drydock_prompt() {
  local status=$?
  # No D before the very first prompt: no command has run yet.
  [[ -n ${__drydock_prompted:-} ]] && __drydock_mark "D;$status"
  __drydock_prompted=1
  # The number the next command's history entry gets, if history keeps it.
  __drydock_next_history=$HISTCMD
  __drydock_mark A
  # Again at each prompt: the learner may set PS1 or PS0 themselves.
  [[ $PS1 == *"$__drydock_command_line_mark" ]] || PS1+=$__drydock_command_line_mark
  [[ ${PS0:-} == *"$__drydock_command_runs_mark"* ]] || PS0=${PS0:-}$__drydock_command_runs_mark
  return "$status"
}

PROMPT_COMMAND=__drydock_prompt
__drydock_prompt
