/* Many kprobes through one link: the points resolve marked multi (PF_BULK points, --deep's
 * functions, where calibration measured kprobe.multi and cookies) attach together through one
 * kprobe.multi link of iop_kprobe_multi, each with its point id as the cookie, by address.
 *
 * Contract: kmulti_attach is called by engine_attach before the per-point attach. On success
 * every multi point is attached (status PST_ATTACHED, attach time shared) and the engine holds
 * the one link. When the kernel refuses the batch (one function fprobe cannot take fails them
 * all), every multi point is turned back into a plain kprobe, its reason saying why, and the
 * per-point attach that follows takes each on its own: nothing is lost to the batch.
 * kmulti_detach/kmulti_reattach serve engine_pause/engine_resume; kmulti_close frees. */
#ifndef IOPATH_KMULTI_H
#define IOPATH_KMULTI_H

struct engine;

/* Number of points attached through the link (0: none were multi, or the batch fell back). */
unsigned kmulti_attach(struct engine *e);
void kmulti_detach(struct engine *e);
/* 0, or -errno when the link could not be made again (the caller marks its points lost). */
int kmulti_reattach(struct engine *e);
void kmulti_close(struct engine *e);

#endif
