/*
 * x11-floor: what plain Xlib achieves on the same X server, as the floor the
 * host bench compares Beckon with. Compiled by run.ts at bench time:
 *   cc -O2 x11-floor.c -lX11 -lXext   (needs libx11-dev and libxext-dev)
 *
 *   x11-floor grab N     full-screen grabs, one JSON line of per-frame ms:
 *                        XGetImage on one connection with glibc's default
 *                        malloc, then with its mmap/trim thresholds raised (so
 *                        the two 4-8 MB buffers per frame stop being mapped and
 *                        page-faulted afresh each time), XShmGetImage, and
 *                        XGetImage on a fresh connection per frame (libnut's way)
 *   x11-floor observe    prints "ready", then "M x y ns" per pointer motion and
 *                        "K keycode ns" per key press on the root window
 *   x11-floor warp N     XWarpPointer + XFlush on one connection, observed on
 *                        another: one JSON line of per-move latencies in µs
 * Times are CLOCK_MONOTONIC, the clock Node's process.hrtime uses on Linux.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static Display *open_display(void) {
  Display *d = XOpenDisplay(NULL);
  if (!d) {
    fprintf(stderr, "x11-floor: cannot open display %s\n", getenv("DISPLAY"));
    exit(2);
  }
  return d;
}

static void print_series(const char *name, const double *v, int n, int last) {
  printf("\"%s\":[", name);
  for (int i = 0; i < n; i++) printf(i ? ",%.4f" : "%.4f", v[i]);
  printf("]%s", last ? "" : ",");
}

static int grab(int frames) {
  Display *d = open_display();
  int s = DefaultScreen(d);
  Window root = RootWindow(d, s);
  int w = DisplayWidth(d, s), h = DisplayHeight(d, s);
  double *plain = calloc(frames, sizeof(double));
  double *shm = calloc(frames, sizeof(double));
  double *fresh = calloc(frames, sizeof(double));
  volatile unsigned char sink = 0;

  double *defaults = calloc(frames, sizeof(double));
  for (int i = 0; i < frames; i++) {
    long long t0 = now_ns();
    XImage *img = XGetImage(d, root, 0, 0, w, h, AllPlanes, ZPixmap);
    sink ^= (unsigned char)img->data[0];
    XDestroyImage(img);
    defaults[i] = (now_ns() - t0) / 1e6;
  }
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  for (int i = 0; i < frames; i++) {
    long long t0 = now_ns();
    XImage *img = XGetImage(d, root, 0, 0, w, h, AllPlanes, ZPixmap);
    sink ^= (unsigned char)img->data[0];
    XDestroyImage(img);
    plain[i] = (now_ns() - t0) / 1e6;
  }

  XShmSegmentInfo info;
  XImage *img = XShmCreateImage(d, DefaultVisual(d, s), DefaultDepth(d, s), ZPixmap, NULL, &info, w, h);
  info.shmid = shmget(IPC_PRIVATE, img->bytes_per_line * img->height, IPC_CREAT | 0600);
  info.shmaddr = img->data = shmat(info.shmid, NULL, 0);
  info.readOnly = False;
  XShmAttach(d, &info);
  XSync(d, False);
  shmctl(info.shmid, IPC_RMID, NULL);
  for (int i = 0; i < frames; i++) {
    long long t0 = now_ns();
    XShmGetImage(d, root, img, 0, 0, AllPlanes);
    sink ^= (unsigned char)img->data[0];
    shm[i] = (now_ns() - t0) / 1e6;
  }
  XShmDetach(d, &info);
  XDestroyImage(img);
  shmdt(info.shmaddr);

  for (int i = 0; i < frames; i++) {
    long long t0 = now_ns();
    Display *once = open_display();
    XImage *im = XGetImage(once, RootWindow(once, DefaultScreen(once)), 0, 0, w, h, AllPlanes, ZPixmap);
    sink ^= (unsigned char)im->data[0];
    XDestroyImage(im);
    XCloseDisplay(once);
    fresh[i] = (now_ns() - t0) / 1e6;
  }

  printf("{\"width\":%d,\"height\":%d,", w, h);
  print_series("xgetimageDefaultMalloc", defaults, frames, 0);
  print_series("xgetimage", plain, frames, 0);
  print_series("xshm", shm, frames, 0);
  print_series("xgetimageFreshConnection", fresh, frames, 1);
  printf("}\n");
  XCloseDisplay(d);
  return 0;
}

static int observe(void) {
  Display *d = open_display();
  Window root = DefaultRootWindow(d);
  XSelectInput(d, root, PointerMotionMask | KeyPressMask);
  XSync(d, False);
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("ready\n");
  for (;;) {
    XEvent ev;
    XNextEvent(d, &ev);
    long long t = now_ns();
    if (ev.type == MotionNotify) printf("M %d %d %lld\n", ev.xmotion.x_root, ev.xmotion.y_root, t);
    else if (ev.type == KeyPress) printf("K %u %lld\n", ev.xkey.keycode, t);
  }
  return 0;
}

static int warp(int count) {
  Display *obs = open_display();
  Display *inj = open_display();
  Window root = DefaultRootWindow(obs);
  XSelectInput(obs, root, PointerMotionMask);
  XSync(obs, False);
  double *lat = calloc(count, sizeof(double));
  for (int i = 0; i < count; i++) {
    int x = 100 + (i % 2) * 300, y = 100 + (i % 3) * 100;
    long long t0 = now_ns();
    XWarpPointer(inj, None, DefaultRootWindow(inj), 0, 0, 0, 0, x, y);
    XFlush(inj);
    for (;;) {
      XEvent ev;
      XNextEvent(obs, &ev);
      if (ev.type == MotionNotify && ev.xmotion.x_root == x && ev.xmotion.y_root == y) break;
    }
    lat[i] = (now_ns() - t0) / 1e3;
  }
  printf("{");
  print_series("warpUs", lat, count, 1);
  printf("}\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "grab") == 0) return grab(atoi(argv[2]));
  if (argc >= 2 && strcmp(argv[1], "observe") == 0) return observe();
  if (argc >= 3 && strcmp(argv[1], "warp") == 0) return warp(atoi(argv[2]));
  fprintf(stderr, "usage: x11-floor grab N | observe | warp N\n");
  return 2;
}
