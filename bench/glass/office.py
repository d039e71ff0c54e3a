"""The bandwidth bench's office screen: an editor and a long page, two plain
Tk windows (no window manager needed) on the host's screen, beside the glass
square. The bench drives them with xdotool (typing, wheel scrolling, moving
a window); this script only puts them up and prints their X window ids:
{"editor": id, "page": id}. It ends when stdin closes."""
import json
import sys
import tkinter as tk

root = tk.Tk()
root.withdraw()
FONT = ("DejaVu Sans", 11)


def window(x, y, w, h):
    top = tk.Toplevel(root, bg="#ffffff")
    top.overrideredirect(True)
    top.geometry(f"{w}x{h}+{x}+{y}")
    text = tk.Text(top, font=FONT, wrap="word", bg="#ffffff", fg="#202020", bd=0)
    text.pack(fill="both", expand=True)
    return top, text


editor, editor_text = window(340, 40, 620, 300)
editor_text.insert("end", "Notes for the customer call\n\n")
page, page_text = window(340, 360, 620, 340)
LOREM = (
    "Remote support works best when the picture is current: every paragraph here is "
    "different so that scrolling shows new text, as a real document or web page would. "
)
for i in range(1, 1500):
    page_text.insert("end", f"{i:4d}  {LOREM[(i * 7) % 60:]}{LOREM[: (i * 7) % 60]}\n")
page_text.configure(state="disabled")
root.update()
# The wrapper windows (what xdotool moves), not the inner ones Tk draws in.
print(json.dumps({"editor": int(editor.wm_frame(), 16), "page": int(page.wm_frame(), 16)}), flush=True)


def poll():
    root.after(50, poll)


poll()
# stdin closing ends the workload (the bench is over).
root.tk.createfilehandler(sys.stdin, tk.READABLE, lambda *_: sys.stdin.readline() or root.quit())
root.mainloop()
