/* Where record writes (record/outfile.h): a regular file replaced atomically, a symlink followed, a
 * device or pipe written straight through and never replaced, everything else refused at open with
 * one reason; a recording through a pipe parses; a checkpoint says so in META and in the report;
 * the exit codes of a traced command (cli/cli.h). */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "record/outfile.h"
#include "record/recdata.h"
#include "record/recfile.h"
#include "testutil.h"

static char dir[64];

static void mkdir_tmp(void)
{
	strcpy(dir, "/tmp/iopath-out-XXXXXX");
	ck_assert(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *in_dir(const char *name)
{
	static char p[4][PATH_MAX];
	static int i;

	snprintf(p[i & 3], PATH_MAX, "%s/%s", dir, name);
	return p[i++ & 3];
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static char *slurp(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = 0;
	return buf;
}

/* Nothing but the named files in dir: no temp file left behind. */
static int entries(void)
{
	char cmd[128];
	FILE *p;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "ls -A %s", dir);
	p = popen(cmd, "r");
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

START_TEST(regular_file_atomic)
{
	struct outfile o;
	struct stat st, st2;
	char err[256];

	mkdir_tmp();
	ck_assert_int_eq(outfile_open(&o, in_dir("new.rec"), err, sizeof(err)), 0);
	ck_assert(!o.stream && outfile_rewritable(&o));
	ck_assert_int_eq(entries(), 0);   /* open probes the directory, leaves nothing */
	ck_assert_int_eq(outfile_write(&o, "one", 3), 0);
	ck_assert_str_eq(slurp(in_dir("new.rec")), "one");
	ck_assert_int_eq(stat(in_dir("new.rec"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* a checkpoint, then the end: each replaces the last, as a new inode (rename) */
	ck_assert_int_eq(outfile_write(&o, "second", 6), 0);
	ck_assert_int_eq(stat(in_dir("new.rec"), &st2), 0);
	ck_assert(st.st_ino != st2.st_ino);
	ck_assert_str_eq(slurp(in_dir("new.rec")), "second");
	ck_assert_int_eq(entries(), 1);
	outfile_close(&o);
	rm_tmp();
}
END_TEST

START_TEST(symlinks_followed)
{
	struct outfile o;
	struct stat st;
	char err[256];

	mkdir_tmp();
	ck_assert_int_eq(mkdir(in_dir("sub"), 0700), 0);
	/* an existing target through a relative link: the target is replaced, the link stays */
	put(in_dir("sub/t.rec"), "old");
	ck_assert_int_eq(symlink("sub/t.rec", in_dir("link.rec")), 0);
	ck_assert_int_eq(outfile_open(&o, in_dir("link.rec"), err, sizeof(err)), 0);
	ck_assert_msg(strstr(o.target, "/sub/t.rec"), "%s", o.target);
	ck_assert_int_eq(outfile_write(&o, "new", 3), 0);
	ck_assert_int_eq(lstat(in_dir("link.rec"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(slurp(in_dir("sub/t.rec")), "new");
	/* a chain ending in a name that does not exist yet (relative to the second link's directory) */
	ck_assert_int_eq(symlink("made.rec", in_dir("sub/l2")), 0);
	ck_assert_int_eq(symlink("sub/l2", in_dir("l1")), 0);
	ck_assert_int_eq(outfile_open(&o, in_dir("l1"), err, sizeof(err)), 0);
	ck_assert_int_eq(outfile_write(&o, "made", 4), 0);
	ck_assert_str_eq(slurp(in_dir("sub/made.rec")), "made");
	ck_assert_int_eq(lstat(in_dir("l1"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	/* a loop is refused */
	ck_assert_int_eq(symlink("loop", in_dir("loop")), 0);
	ck_assert_int_eq(outfile_open(&o, in_dir("loop"), err, sizeof(err)), -ELOOP);
	rm_tmp();
}
END_TEST

START_TEST(refused_at_open)
{
	struct outfile o;
	char err[256];
	int made = 1;   /* tolink */

	mkdir_tmp();
	ck_assert_int_eq(outfile_open(&o, dir, err, sizeof(err)), -EISDIR);
	ck_assert_str_eq(err, "is a directory");
	ck_assert_int_eq(outfile_open(&o, "/nonexistent-iopath/x.rec", err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "no directory /nonexistent-iopath");
	ck_assert_int_eq(outfile_open(&o, in_dir("nodir/"), err, sizeof(err)), -EISDIR);
	ck_assert_int_eq(outfile_open(&o, "", err, sizeof(err)), -ENOENT);
	/* a directory that takes no new files: /proc */
	ck_assert_int_lt(outfile_open(&o, "/proc/iopath-x.rec", err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "cannot create files in /proc"), "%s", err);
	/* a symlink to a directory is a directory */
	ck_assert_int_eq(symlink("/tmp", in_dir("tolink")), 0);
	ck_assert_int_eq(outfile_open(&o, in_dir("tolink"), err, sizeof(err)), -EISDIR);
	/* a block device is never written (the node is made here, so no disk is at risk) */
	if (!mknod(in_dir("blk"), S_IFBLK | 0600, makedev(7, 200))) {
		struct stat st;

		made++;
		ck_assert_int_eq(outfile_open(&o, in_dir("blk"), err, sizeof(err)), -EINVAL);
		ck_assert_msg(strstr(err, "block device"), "%s", err);
		ck_assert_int_eq(stat(in_dir("blk"), &st), 0);
		ck_assert(S_ISBLK(st.st_mode));
	}
	ck_assert_int_eq(entries(), made);   /* nothing created by the refusals */
	rm_tmp();
}
END_TEST

static void assert_chr(const char *path, unsigned maj, unsigned min)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg(S_ISCHR(st.st_mode) && major(st.st_rdev) == maj && minor(st.st_rdev) == min,
		      "%s is no longer char device %u:%u", path, maj, min);
}

START_TEST(devices_written_through)
{
	struct outfile o;
	char err[256];

	ck_assert_int_eq(outfile_open(&o, "/dev/null", err, sizeof(err)), 0);
	ck_assert(o.stream && !outfile_rewritable(&o));
	ck_assert_int_eq(outfile_write(&o, "x", 1), 0);
	ck_assert_int_eq(outfile_write(&o, "x", 1), -EALREADY);   /* a stream cannot be rewritten */
	outfile_close(&o);
	assert_chr("/dev/null", 1, 3);
	ck_assert_int_eq(outfile_open(&o, "/dev/full", err, sizeof(err)), 0);
	ck_assert_int_eq(outfile_write(&o, "x", 1), -ENOSPC);
	outfile_close(&o);
	assert_chr("/dev/full", 1, 7);
	/* the audit's case: a copy of /dev/null's node was left a 0600 regular file */
	mkdir_tmp();
	if (!mknod(in_dir("mynull"), S_IFCHR | 0666, makedev(1, 3))) {
		ck_assert_int_eq(outfile_open(&o, in_dir("mynull"), err, sizeof(err)), 0);
		ck_assert_int_eq(outfile_write(&o, "x", 1), 0);
		outfile_close(&o);
		assert_chr(in_dir("mynull"), 1, 3);
	}
	rm_tmp();
}
END_TEST

START_TEST(fifo_and_pipe)
{
	struct outfile o;
	char err[256], buf[16] = {}, fd_path[64];
	int p[2], st;
	pid_t pid;

	mkdir_tmp();
	ck_assert_int_eq(mkfifo(in_dir("fifo"), 0600), 0);
	pid = fork();
	if (!pid) {   /* the reader: exits 0 when it got the content */
		int fd = open(in_dir("fifo"), O_RDONLY);

		_exit(read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5) ? 0 : 1);
	}
	ck_assert_int_eq(outfile_open(&o, in_dir("fifo"), err, sizeof(err)), 0);
	ck_assert(o.stream);
	ck_assert_int_eq(outfile_write(&o, "hello", 5), 0);
	outfile_close(&o);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && !WEXITSTATUS(st));
	/* a pipe by its /proc name, as bash's >(...) passes /dev/fd/N */
	ck_assert_int_eq(pipe(p), 0);
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", p[1]);
	ck_assert_int_eq(outfile_open(&o, fd_path, err, sizeof(err)), 0);
	ck_assert(o.stream);
	close(p[1]);   /* outfile holds its own descriptor */
	ck_assert_int_eq(outfile_write(&o, "piped", 5), 0);
	ck_assert_int_eq(read(p[0], buf, sizeof(buf)), 5);
	ck_assert(!memcmp(buf, "piped", 5));
	/* the reader gone: an error, not a death by SIGPIPE */
	close(p[0]);
	outfile_close(&o);
	ck_assert_int_eq(pipe(p), 0);
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", p[1]);
	ck_assert_int_eq(outfile_open(&o, fd_path, err, sizeof(err)), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(outfile_write(&o, "lost", 4), -EPIPE);
	outfile_close(&o);
	close(p[1]);
	rm_tmp();
}
END_TEST

/* A recording through a pipe is a whole, valid file; a checkpoint's META says so, and the report
 * of it says it is partial (text and JSON); a complete one does not. */
START_TEST(recording_through_a_pipe)
{
	static struct exits_report ex = { .seconds = 3.5 };
	struct rec_data d = { .exits = &ex, .has_exits = true, .version = "t", .kernel = "k",
			      .cmd_status = -1, .checkpoint = true }, l;
	static uint8_t buf[1 << 16];
	struct recording r;
	struct outfile o;
	char err[256], fd_path[64], *out;
	ssize_t n, len = 0;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", p[1]);
	ck_assert_int_eq(outfile_open(&o, fd_path, err, sizeof(err)), 0);
	close(p[1]);
	ck_assert_int_eq(rec_data_save_to(&d, &o), 0);
	outfile_close(&o);
	while ((n = read(p[0], buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(p[0]);
	ck_assert_msg(rec_parse(buf, len, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(rec_data_from(&l, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert(l.checkpoint);
	out = CAPTURE(f, rec_data_print(f, &l));
	ck_assert_msg(strstr(out, "PARTIAL: a checkpoint of the first 3.5 s"), "%s", out);
	free(out);
	out = CAPTURE(f, rec_data_json(f, &l));
	ck_assert_msg(strstr(out, "\"checkpoint\": true"), "%s", out);
	free(out);
	rec_data_free(&l);
	rec_free(&r);
	d.checkpoint = false;
	out = CAPTURE(f, rec_data_print(f, &d));
	ck_assert_msg(!strstr(out, "PARTIAL"), "%s", out);
	free(out);
	out = CAPTURE(f, rec_data_json(f, &d));
	ck_assert_msg(!strstr(out, "checkpoint"), "%s", out);
	free(out);
}
END_TEST

/* cli/cli.h: a command's failure is EXIT_COMMAND, never iopath's own 1 or 2. */
START_TEST(command_exit_codes)
{
	ck_assert_int_eq(EXIT_OK, 0);
	ck_assert_int_eq(EXIT_RUNTIME, 1);
	ck_assert_int_eq(EXIT_USAGE, 2);
	ck_assert_int_eq(EXIT_COMMAND, 3);
	ck_assert_int_eq(command_exit("t", "the command", -1), EXIT_OK);   /* stopped before it ended */
	ck_assert_int_eq(command_exit("t", "the command", W_EXITCODE(0, 0)), EXIT_OK);
	ck_assert_int_eq(command_exit("t", "the command", W_EXITCODE(1, 0)), EXIT_COMMAND);
	ck_assert_int_eq(command_exit("t", "the command", W_EXITCODE(2, 0)), EXIT_COMMAND);
	ck_assert_int_eq(command_exit("t", "the command", W_EXITCODE(0, SIGKILL)), EXIT_COMMAND);
	ck_assert_int_eq(wait_code(W_EXITCODE(7, 0)), 7);
	ck_assert_int_eq(wait_code(W_EXITCODE(0, SIGKILL)), 137);
	ck_assert_int_eq(check_command("t", (char *[]){ "sh", NULL }), 0);
	ck_assert_int_eq(check_command("t", (char *[]){ "/bin/sh", NULL }), 0);
	ck_assert_int_eq(check_command("t", (char *[]){ "no-such-command-iopath", NULL }), EXIT_USAGE);
	ck_assert_int_eq(check_command("t", (char *[]){ "/etc/passwd", NULL }), EXIT_USAGE);
	ck_assert_int_eq(check_command("t", (char *[]){ "/tmp", NULL }), EXIT_USAGE);
}
END_TEST

int main(void)
{
	return RUN_TESTS("outfile", "targets", regular_file_atomic, symlinks_followed, refused_at_open,
			 devices_written_through, fifo_and_pipe, recording_through_a_pipe, command_exit_codes);
}
