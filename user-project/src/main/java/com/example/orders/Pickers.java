package com.example.orders;

import java.util.concurrent.Semaphore;

/**
 * The warehouse's pickers, a plain {@link Semaphore}: no moire type here. A bulky order needs two
 * pickers and takes them one at a time, so two bulky orders at once can each hold one picker and
 * wait for the other's.
 */
public final class Pickers {
  private final Semaphore free;

  public Pickers(int count) {
    free = new Semaphore(count);
  }

  /** Picks a bulky order with two pickers; {@code between} runs once the first is taken. */
  public void pickBulky(Runnable between) throws InterruptedException {
    free.acquire(); // the first picker
    try {
      between.run();
      free.acquire(); // the second picker
      free.release();
    } finally {
      free.release();
    }
  }
}
