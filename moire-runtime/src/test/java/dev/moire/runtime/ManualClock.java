package dev.moire.runtime;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. */
final class ManualClock implements NanoClock {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  void advance(long delta) {
    nanos.addAndGet(delta);
  }
}
