"""P6's background load: RATE successful logins a second, each on its own connection,
for SECONDS seconds (python3 logins.py URL EMAIL PASSWORD RATE SECONDS). Prints how many
were answered 200, how many not, and the logins' own p50/p99 in ms."""
import sys
import threading
import time
import urllib.parse
import urllib.request

url, email, password, rate, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
body = urllib.parse.urlencode({"email": email, "password": password}).encode()
ok, failed, times = 0, 0, []
lock = threading.Lock()


def login() -> None:
    global ok, failed
    started = time.monotonic()
    try:
        req = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            res.read()
            good = res.status == 200
    except Exception:  # noqa: BLE001 - any failure counts as one
        good = False
    with lock:
        times.append(time.monotonic() - started)
        if good:
            ok += 1
        else:
            failed += 1


threads = []
start = time.monotonic()
n = 0
while time.monotonic() - start < seconds:
    # A fixed schedule: the n-th login starts at n / RATE seconds, whatever the others do.
    due = start + n / rate
    pause = due - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    t = threading.Thread(target=login)
    t.start()
    threads.append(t)
    n += 1
for t in threads:
    t.join()
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000 if times else 0.0
print(f"logins {ok} ok {failed} failed over {seconds:.0f} s ({n / seconds:.1f}/s); login p50 {p(0.5):.0f} ms p99 {p(0.99):.0f} ms")
