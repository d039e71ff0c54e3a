"""The glass bench's stimulus: a 200x200 square on the X screen that flips
between two colours when told to. Each line on stdin is a colour (#rrggbb);
the answer is the wall-clock time (ms) right after the X server was asked to
repaint, so the bench can subtract it from the time a receiver saw it."""
import json
import sys
import time
import tkinter as tk

x, y, size = (int(v) for v in sys.argv[1:4])
root = tk.Tk()
root.overrideredirect(True)  # no decorations, no window manager needed
root.geometry(f"{size}x{size}+{x}+{y}")
root.configure(bg="#ff0000")
root.update()
print(json.dumps({"ready": True}), flush=True)

for line in sys.stdin:
    colour = line.strip()
    if not colour:
        continue
    root.lift()  # stay above any window opened since
    root.configure(bg=colour)
    root.update_idletasks()
    root.update()
    # A round trip (XQueryColor): the server has processed the repaint before the time is taken.
    root.winfo_rgb(colour)
    print(json.dumps({"at": time.time() * 1000}), flush=True)
