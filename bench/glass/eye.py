"""The glass bench's eye on the receivers' screen: it reads pixels of that X
screen (what Chromium has put on it, after compositing and presenting) so
every receiver is timed at the same place, the screen, whatever it draws
with (a <video> composited off the main thread, or noVNC's canvas).

One JSON command per line on stdin, one JSON answer per line on stdout:
  {"locate": "red"}   finds the square shown in that colour; answers its centre
  {"watch": "blue"}   answers {"watching": true} at once, then
                      {"at": epoch ms} when the centre first shows that colour
Times are time.time() in ms, the clock flipper.py stamps the flips with."""
import ctypes
import json
import sys
import time


class XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


X = ctypes.CDLL("libX11.so.6")
X.XOpenDisplay.restype = ctypes.c_void_p
X.XOpenDisplay.argtypes = [ctypes.c_char_p]
X.XDefaultRootWindow.restype = ctypes.c_ulong
X.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X.XGetImage.restype = ctypes.POINTER(XImage)
X.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                        ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
X.XGetPixel.restype = ctypes.c_ulong
X.XGetPixel.argtypes = [ctypes.POINTER(XImage), ctypes.c_int, ctypes.c_int]
X.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
ALL_PLANES = 0xFFFFFFFF
Z_PIXMAP = 2

display = X.XOpenDisplay(sys.argv[1].encode())
if not display:
    sys.exit(f"cannot open display {sys.argv[1]}")
root = X.XDefaultRootWindow(display)
width, height = int(sys.argv[2]), int(sys.argv[3])


def classify(r, g, b):
    # The same thresholds as probe.ts.
    if r > 150 and g < 100 and b < 100:
        return "red"
    if b > 150 and r < 100 and g < 100:
        return "blue"
    return "other"


def pixel(x, y):
    image = X.XGetImage(display, root, x, y, 1, 1, ALL_PLANES, Z_PIXMAP)
    p = X.XGetPixel(image, 0, 0)
    X.XDestroyImage(image)
    return classify((p >> 16) & 255, (p >> 8) & 255, p & 255)


def grab():
    image = X.XGetImage(display, root, 0, 0, width, height, ALL_PLANES, Z_PIXMAP)
    img = image.contents
    bpp = img.bits_per_pixel
    data = ctypes.string_at(img.data, img.bytes_per_line * img.height)
    stride = img.bytes_per_line
    X.XDestroyImage(image)
    if bpp != 32:
        raise ValueError(f"{bpp} bits per pixel")
    return data, stride


def dump(path):
    data, stride = grab()
    with open(path, "wb") as f:
        f.write(f"P6 {width} {height} 255\n".encode())
        for y in range(height):
            row = data[y * stride:y * stride + 4 * width]
            f.write(bytes(v for i in range(0, len(row), 4) for v in (row[i + 2], row[i + 1], row[i])))
    return {"dumped": path}


def locate(colour):
    data, stride = grab()
    xs, ys = [], []
    for y in range(0, height, 2):
        row = y * stride
        for x in range(0, width, 2):
            i = row + 4 * x  # little-endian 0x00RRGGBB: B, G, R, X
            if classify(data[i + 2], data[i + 1], data[i]) == colour:
                xs.append(x)
                ys.append(y)
    if len(xs) < 1000:
        return {"error": f"no {colour} square on the screen"}
    # The square is most of those pixels (a recording dot in a tab is not):
    # start at the medians and walk out to the square's edges.
    xs.sort()
    ys.sort()
    mx, my = xs[len(xs) // 2], ys[len(ys) // 2]

    def at(x, y):
        i = y * stride + 4 * x
        return classify(data[i + 2], data[i + 1], data[i])

    left = right = mx
    while left > 0 and at(left - 1, my) == colour:
        left -= 1
    while right < width - 1 and at(right + 1, my) == colour:
        right += 1
    top = bottom = my
    while top > 0 and at(mx, top - 1) == colour:
        top -= 1
    while bottom < height - 1 and at(mx, bottom + 1) == colour:
        bottom += 1
    w, h = right - left + 1, bottom - top + 1
    if min(w, h) < 100:
        return {"error": f"the {colour} area found is {w}x{h}, not the square"}
    return {"x": (left + right) // 2, "y": (top + bottom) // 2, "w": w, "h": h}


where = None
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    if "dump" in cmd:
        print(json.dumps(dump(cmd["dump"])), flush=True)
    elif "locate" in cmd:
        where = locate(cmd["locate"])
        print(json.dumps(where), flush=True)
    elif "watch" in cmd:
        if not where or "x" not in where:
            print(json.dumps({"error": "watch before a successful locate"}), flush=True)
            continue
        print(json.dumps({"watching": True}), flush=True)
        deadline = time.time() + cmd.get("timeout", 5000) / 1000
        polls = 0
        while True:
            polls += 1
            if pixel(where["x"], where["y"]) == cmd["watch"]:
                print(json.dumps({"at": time.time() * 1000, "polls": polls}), flush=True)
                break
            if time.time() > deadline:
                print(json.dumps({"error": f"no {cmd['watch']} on the screen in time"}), flush=True)
                break
            time.sleep(0.0005)  # a 1x1 XGetImage round trip is ~0.1 ms: sub-ms resolution, little CPU
