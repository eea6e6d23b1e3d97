package dev.moire.samples.plain;

import java.util.concurrent.Semaphore;

/** Copies tables between two databases through a small pool of connections. */
public final class CopyJobs {
  private final Semaphore connections;

  /** A pool of {@code poolSize} connections. */
  public CopyJobs(int poolSize) {
    connections = new Semaphore(poolSize);
  }

  /**
   * Copies one table: takes a source connection, runs {@code between}, then takes a target
   * connection. The bug: with as many jobs as connections, each holds one and waits for another.
   */
  public void copy(Runnable between) throws InterruptedException {
    connections.acquire(); // the source connection
    try {
      between.run();
      connections.acquire(); // the target connection: none may be left
      connections.release();
    } finally {
      connections.release();
    }
  }
}
