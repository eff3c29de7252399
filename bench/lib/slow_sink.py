"""An SMTP server that accepts every message after a pause (DELAY seconds, default
0.2) and counts them: a mail server slow enough that a worker is killed mid-send."""
import asyncio
import sys

from aiosmtpd.controller import Controller


class Slow:
    def __init__(self, delay):
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return "250 OK"


port = int(sys.argv[1])
delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
controller = Controller(Slow(delay), hostname="127.0.0.1", port=port)
controller.start()
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
