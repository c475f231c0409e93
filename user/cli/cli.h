/* Command entry points and the conventions they share (perf/libbpf-tools):
 * -h/--help per command, -v routes libbpf's log, --json where output is data,
 * bad flags: one line on stderr and exit 2; not privileged: one line, exit 1. */
#ifndef IOPATH_CLI_H
#define IOPATH_CLI_H

#define EXIT_USAGE 2

int cmd_env(int argc, char **argv);
int cmd_probes(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_workload(int argc, char **argv);

/* Prints "iopath CMD: MSG (see 'iopath CMD --help')" and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long wrapper message for the option that failed. */
int bad_option(const char *cmd, int opt, int optopt, char **argv, int optind);
/* 0 when privileged, else prints the reason and returns 1. */
int require_privileges(void);

#endif
