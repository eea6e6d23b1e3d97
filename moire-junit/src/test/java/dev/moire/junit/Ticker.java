package dev.moire.junit;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread outside every test that ticks in a timed wait, as a library's housekeeper does: while it
 * runs, the world of every test is open (it could act), so no stall of theirs is certain.
 */
final class Ticker {
  private final Thread thread;
  private volatile boolean stopped;

  /** Starts the ticker, before the test that should see it begins. */
  Ticker() {
    thread =
        new Thread(
            () -> {
              while (!stopped) {
                LockSupport.parkNanos(5_000_000L);
              }
            },
            "library-ticker");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the ticker and waits for its thread to end. */
  void stop() throws InterruptedException {
    stopped = true;
    thread.join();
  }
}
