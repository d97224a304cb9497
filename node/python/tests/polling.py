"""Waiting on a condition with a deadline: polls, never a bare sleep."""
import time


def wait_until(condition, timeout=20.0, interval=0.02):
    """Polls `condition` until it returns something truthy; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


async def async_wait_until(condition, timeout=20.0, interval=0.02):
    """wait_until for a test that runs an event loop: yields to it between polls."""
    import asyncio
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        await asyncio.sleep(interval)
