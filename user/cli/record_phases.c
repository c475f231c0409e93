/* record's phases: marks in, one recording per phase out (record_phases.h). */
#include "cli/record_phases.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "record/recsub.h"
#include "util/util.h"

/* A snapshot of the whole recording at a mark: its bundle, with the probe hits of that moment (the
 * live points' hits are read again at the next one). */
struct snap {
	struct bundle *b;
	struct resolved *pts;
	double t;                /* unix time, s */
};

static double unix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void snap_free(struct snap *s)
{
	if (!s)
		return;
	bundle_free(s->b);
	free(s->pts);
	free(s);
}

/* Everything the recording holds now (the --checkpoint bundle, the ring buffer drained first). */
static struct snap *snap_take(struct run *r, struct samples *rb)
{
	struct snap *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	samples_consume(rb);
	s->t = unix_now();
	s->b = bundle_build(r, false, -1);
	s->pts = malloc((r->s.n ? r->s.n : 1) * sizeof(*s->pts));
	if (!s->b || !s->pts) {
		snap_free(s);
		return NULL;
	}
	memcpy(s->pts, r->s.pts, r->s.n * sizeof(*s->pts));
	s->b->d.pts = s->pts;
	return s;
}

/* The open phase ends at the bundle `close` (a snapshot's, or the end's) taken at t: its
 * recording is close minus the opening snapshot. */
static void phase_close(struct phases *ph, const struct rec_data *close, double t, int cmd_status)
{
	struct rec_data *d = &ph->done[ph->n];
	int err;

	if (!ph->open)
		return;
	err = rec_data_sub(d, close, &ph->open->b->d);
	if (err) {
		iop_warn("phase %s not recorded: %s", ph->open_name, strerror(-err));
	} else {
		snprintf(d->phase, sizeof(d->phase), "%s", ph->open_name);
		d->phase_start = ph->open->t;
		d->phase_end = t;
		d->cmd_status = cmd_status;
		ph->n++;
	}
	snap_free(ph->open);
	ph->open = NULL;
}

/* One mark line: the snapshot that ends the open phase (and opens the next), then the answer.
 * A bad mark changes nothing but is answered all the same, so the command never waits. */
static void phase_line(struct phases *ph, struct run *r, struct samples *rb, const char *line)
{
	char name[PHASE_NAME_MAX + 1], why[160];
	enum phase_mark m = phase_mark_parse(line, &ph->names, name, why, sizeof(why));
	struct snap *s = NULL;

	if (m == PM_BAD)
		iop_warn("phase mark ignored: %s", why);
	else if (!ph->on && ph->off_why) {
		iop_warn("phase marks: %s", ph->off_why);
		ph->off_why = NULL;   /* said once */
	}
	if (m != PM_BAD && ph->on && (m == PM_START || ph->open)) {
		s = snap_take(r, rb);
		if (!s && !ph->snap_failed)
			iop_warn("phase %s: no snapshot of the recording (out of memory or the maps unreadable): "
				 "the phases around it are not recorded", m == PM_START ? name : ph->open_name);
		ph->snap_failed |= !s;
		if (s) {
			phase_close(ph, &s->b->d, s->t, -1);
		} else {
			snap_free(ph->open);   /* the phase it opened has no end: dropped, said above */
			ph->open = NULL;
		}
		if (s && m == PM_START) {
			ph->open = s;
			snprintf(ph->open_name, sizeof(ph->open_name), "%s", name);
			s = NULL;
		}
		snap_free(s);
	}
	if (write(ph->fd, "go\n", 3) != 3)
		iop_dbg("phase mark answer: %s", strerror(errno));
}

/* Reads what the command wrote and handles each whole line; at its end of the socket closing (it
 * exited, or closed it) the descriptor is closed. */
void phases_read(struct phases *ph, struct run *r, struct samples *rb)
{
	char in[512];
	ssize_t n;

	while (ph->fd >= 0 && (n = read(ph->fd, in, sizeof(in))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;   /* all read */
		if (n < 0)
			break;    /* the socket failed: no more marks */

		for (ssize_t i = 0; i < n; i++) {
			if (in[i] != '\n') {
				if (ph->len < sizeof(ph->buf) - 1)
					ph->buf[ph->len++] = in[i];
				else
					ph->overlong = true;
				continue;
			}
			ph->buf[ph->len] = 0;
			if (ph->overlong) {
				iop_warn("phase mark ignored: a line longer than %d bytes", PHASE_LINE_MAX - 1);
				if (write(ph->fd, "go\n", 3) != 3)
					iop_dbg("phase mark answer: %s", strerror(errno));
			} else {
				phase_line(ph, r, rb, ph->buf);
			}
			ph->len = 0;
			ph->overlong = false;
		}
	}
	if (ph->fd >= 0) {
		close(ph->fd);
		ph->fd = -1;
	}
}

/* Waits up to ms for a sampled path or a mark, and handles what came. */
void phases_wait(struct phases *ph, struct run *r, struct samples *rb, int ms)
{
	struct pollfd p[2] = { { .fd = ph->fd, .events = POLLIN }, { .fd = samples_epoll_fd(rb), .events = POLLIN } };

	if (poll(p, 2, ms) < 0 && errno != EINTR)
		usleep(ms * 1000);
	samples_consume(rb);
	if (ph->fd >= 0 && p[0].revents)
		phases_read(ph, r, rb);
}

/* The command's end of a new socket pair as IOPATH_PHASE_FD in the environment it inherits; record's
 * end (non-blocking) in ph->fd. The caller closes *child once the command runs. */
int phases_open(struct phases *ph, int *child)
{
	int sv[2];
	char v[16];

	ph->fd = *child = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv))
		return -errno;
	/* the command's end blocks (it waits for the answer) and survives the exec */
	if (fcntl(sv[1], F_SETFL, 0) || fcntl(sv[1], F_SETFD, 0)) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	snprintf(v, sizeof(v), "%d", sv[1]);
	setenv("IOPATH_PHASE_FD", v, 1);
	ph->fd = sv[0];
	*child = sv[1];
	return 0;
}

/* Each phase into OUT.NAME.rec next to OUT (atomic, as -o). EXIT_OK, or EXIT_RUNTIME when one was
 * not written (one line each). */
int phases_write(struct phases *ph, const char *outpath, const struct rec_data *whole)
{
	int ret = EXIT_OK;

	for (unsigned i = 0; i < ph->n; i++) {
		struct rec_data *d = &ph->done[i];
		char path[PATH_MAX], why[256];
		struct outfile o;
		int err;

		d->start_unix = whole->start_unix;   /* the whole run's, as the spec has it */
		d->end_unix = whole->end_unix;
		err = phase_path(outpath, d->phase, path, sizeof(path));
		if (!err && (err = outfile_open(&o, path, why, sizeof(why))) == 0) {
			err = rec_data_save_to(d, &o);
			outfile_close(&o);
		}
		if (err) {
			iop_err("phase recording NOT written to %s: %s", path, strerror(-err));
			ret = EXIT_RUNTIME;
		} else {
			fprintf(stderr, "iopath: phase %s written to %s\n", d->phase, path);
		}
	}
	return ret;
}

void phases_free(struct phases *ph)
{
	if (ph->fd >= 0)
		close(ph->fd);
	ph->fd = -1;
	snap_free(ph->open);
	ph->open = NULL;
	for (unsigned i = 0; i < ph->n; i++)
		rec_data_free(&ph->done[i]);
	ph->n = 0;
}

/* A phase still open when the run ends (the command ended, or died, inside it) ends with it. */
void phases_end(struct phases *ph, const struct rec_data *close, int cmd_status)
{
	phase_close(ph, close, unix_now(), cmd_status);
}
