"""A window that reports what reaches it, for tests of real X11 input.

Started by probe-window.ts. Prints one JSON object per line on stdout:
ready (with the window's place on screen), button presses, key presses and
the text of its entry field after every change. With --flip-ms it also keeps
the screen changing (its colour and the inverse, in turn). Override-redirect, so it sits
exactly where asked even without a window manager.
"""
import argparse
import json
import sys
import tkinter as tk


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--x", type=int, default=0)
    p.add_argument("--y", type=int, default=0)
    p.add_argument("--width", type=int, default=400)
    p.add_argument("--height", type=int, default=200)
    p.add_argument("--color", default="#ff8000")
    p.add_argument("--entry", action="store_true")
    # Milliseconds between colour flips of the whole window; 0 keeps it still.
    p.add_argument("--flip-ms", type=int, default=0)
    a = p.parse_args()

    root = tk.Tk()
    root.overrideredirect(True)
    root.geometry(f"{a.width}x{a.height}+{a.x}+{a.y}")
    root.configure(background=a.color, borderwidth=0, highlightthickness=0)

    text = tk.StringVar()
    if a.entry:
        entry = tk.Entry(root, textvariable=text, font=("TkFixedFont", 10))
        entry.place(x=0, y=a.height - 30, width=a.width, height=30)
        text.trace_add("write", lambda *_: emit(event="text", value=text.get()))

    root.bind_all(
        "<ButtonPress>",
        lambda e: emit(event="button", num=e.num, x=e.x_root, y=e.y_root, state=e.state),
    )
    root.bind_all(
        "<KeyPress>",
        lambda e: emit(event="key", keysym=e.keysym, char=e.char, state=e.state),
    )

    def ready():
        root.update_idletasks()
        if a.entry:
            entry.focus_force()
            emit(event="text", value="")
        emit(
            event="ready",
            x=root.winfo_rootx(),
            y=root.winfo_rooty(),
            width=root.winfo_width(),
            height=root.winfo_height(),
        )

    if a.flip_ms > 0:
        colours = [a.color, "#" + "".join(f"{255 - int(a.color[i:i + 2], 16):02x}" for i in (1, 3, 5))]

        def flip(n=0):
            root.configure(background=colours[n % 2])
            root.after(a.flip_ms, flip, n + 1)

        root.after(a.flip_ms, flip)

    root.after(100, ready)
    root.mainloop()


if __name__ == "__main__":
    main()
