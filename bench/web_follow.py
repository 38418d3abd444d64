#!/usr/bin/env python3
"""The browser view's figures (scripts/bench's web group).

usage: web_follow.py FWITTER DATABASE [FOLLOWERS] [STATEMENTS] [MODEL]

Starts `FWITTER --db DATABASE --web 0` in a pseudo-terminal, opens FOLLOWERS
event streams on /events as that many pages would, types STATEMENTS
statements at the console, and for each takes the time from its item's
publication (its "at") to its arrival on every stream. Then opens pages of the
list of MODEL's rows (default Tweet): the first, one in the middle, the last,
one sorted by a column with no index, and the HTML page, timing each answer.
Prints one line:
  FOLLOW_P50_MS FOLLOW_MAX_MS PAGE_MAX_MS ROWS
"""
import json, os, pty, re, select, socket, sys, threading, time

fwitter, database = sys.argv[1], sys.argv[2]
followers = int(sys.argv[3]) if len(sys.argv) > 3 else 30
statements = int(sys.argv[4]) if len(sys.argv) > 4 else 5
model = sys.argv[5] if len(sys.argv) > 5 else "Tweet"

pid, fd = pty.fork()
if pid == 0:
    os.execv(fwitter, [fwitter, "--db", database, "--web", "0"])
screen = b""


def until(pattern, seconds=30):
    global screen
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if ready:
            screen += os.read(fd, 65536)
            if re.search(pattern, screen):
                return True
    sys.exit("web_follow: the console did not show %r: %r" % (pattern, screen[-500:]))


until(rb"fwitter> ")
port = int(re.search(rb"http://127\.0\.0\.1:(\d+)/", screen).group(1))


def get(path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % (path, port)).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n")[0]:
        sys.exit("web_follow: %s: %r" % (path, head[:200]))
    return body


arrivals = {}  # statement -> [(arrival, at)]
lock = threading.Lock()
opened = threading.Barrier(followers + 1)


def follow():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n\r\n" % port).encode())
    opened.wait()
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        now = time.time()
        data += chunk
        while b"\n\n" in data:
            event, _, data = data.partition(b"\n\n")
            for line in event.split(b"\n"):
                if line.startswith(b"data: "):
                    item = json.loads(line[6:])
                    with lock:
                        arrivals.setdefault(item["statement"], []).append((now, item["at"]))


threads = [threading.Thread(target=follow, daemon=True) for _ in range(followers)]
for t in threads:
    t.start()
opened.wait()
latencies = []
for i in range(statements):
    statement = "Tweet.where(user_id: %d).count" % (i + 1)
    os.write(fd, (statement + "\n").encode())
    until(rb"fwitter> ")
    end = time.time() + 10
    while time.time() < end:
        with lock:
            got = list(arrivals.get(statement, []))
        if len(got) >= followers:
            break
        time.sleep(0.005)
    if len(got) < followers:
        sys.exit("web_follow: %s reached %d of %d pages" % (statement, len(got), followers))
    latencies += [(arrival - at) * 1000 for arrival, at in got]

models = json.loads(get("/models.json"))["models"]
rows, name = [m["count"] for m in models if m["name"] == model][0], model
last = max(1, (rows + 49) // 50)
page_ms = []
for path in ["/%s.json" % name, "/%s.json?page=%d" % (name, last // 2), "/%s.json?page=%d" % (name, last),
             "/%s.json?sort=created_at&dir=desc&page=%d" % (name, last // 3), "/%s" % name]:
    started = time.time()
    get(path)
    page_ms.append((time.time() - started) * 1000)
    if os.environ.get("WEB_FOLLOW_VERBOSE"):
        print(path, "%.1f ms" % page_ms[-1], file=sys.stderr)
os.write(fd, b"exit\n")
os.waitpid(pid, 0)
latencies.sort()
print("%.1f %.1f %.1f %d" % (latencies[len(latencies) // 2], latencies[-1], max(page_ms), rows))
