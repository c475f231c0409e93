/* Command entry points and the conventions they share (perf/libbpf-tools):
 * -h/--help per command, -v routes libbpf's log, --json where output is data,
 * bad flags: one line on stderr and exit 2; not privileged: one line, exit 1;
 * the exit codes below, and the helpers that run a command under tracing. */
#ifndef IOPATH_CLI_H
#define IOPATH_CLI_H

#include <stdbool.h>
#include <sys/types.h>

/* Exit codes, one meaning each for every command (iopath --help, README.md "Exit codes"):
 *   0  EXIT_OK       done.
 *   1  EXIT_RUNTIME  failed while working: not privileged, the kernel refused or lacks what iopath
 *                    needs (below the floor; no BTF and no --btf), a recording that
 *                    cannot be read or is damaged, a file that could not be written at the end.
 *   2  EXIT_USAGE    refused before starting: a bad option or value, a command that is not found,
 *                    an output (-o, --json-file) that cannot be written. Nothing was traced.
 *   3  EXIT_COMMAND  record/probes -- COMMAND, record -w builtin: iopath did all of its work (report
 *                    printed, files written) but the command failed: it exited non-zero or was
 *                    killed. One stderr line gives its status; the JSON has it (command_exit).
 * Why the command's status is not passed through, as time(1) and strace(1) do: its 1 and 2 would read
 * as iopath's own, so a script could not tell "no recording" from "the benchmark failed". Why it is
 * not ignored: `iopath record -o r.rec -- make check && deploy` must still stop when the checks fail. */
#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_COMMAND 3

int cmd_env(int argc, char **argv);
int cmd_probes(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_workload(int argc, char **argv);

/* Prints "iopath CMD: MSG (see 'iopath CMD --help')" and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long wrapper message for the option that failed. */
int bad_option(const char *cmd, int opt, int optopt, char **argv, int optind);
/* 0 when privileged, else prints the reason and returns EXIT_RUNTIME. */
int require_privileges(void);

/* 0 when argv[0] can be run (a path to an executable, or a name found in PATH, as execvp looks),
 * else one line and EXIT_USAGE: checked before anything is loaded. */
int check_command(const char *cmd, char *const argv[]);
/* Runs argv in a child; with stdout_to_stderr its stdout is iopath's stderr (iopath's stdout carries
 * JSON). The child gets SIGPIPE back at its default. Its pid, or -errno. */
pid_t spawn_command(char *const argv[], bool stdout_to_stderr);
/* spawn_command, but the child waits before it execs until before_exec(pid, arg) has run in the
 * parent (record puts the pid in the traced tasks, so the command is traced from its first
 * instruction). before_exec's non-zero return: the child is killed and reaped, that is returned. */
pid_t spawn_command_held(char *const argv[], bool stdout_to_stderr, int (*before_exec)(pid_t, void *),
			 void *arg);
/* The shell's form of a waitpid status: the exit code, or 128 + the signal that killed it. */
int wait_code(int wstatus);
/* How a command that ran a command ends: EXIT_OK when it exited 0 or did not end (iopath was stopped
 * first; wstatus -1), else one line (what: "the command", "the built-in workload") and EXIT_COMMAND. */
int command_exit(const char *cmd, const char *what, int wstatus);

struct outfile;
/* outfile_open for option opt ("-o") of cmd: 0, or one line and EXIT_USAGE. */
int open_output(const char *cmd, const char *opt, const char *path, struct outfile *o);

#endif
