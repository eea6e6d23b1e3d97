package dev.moire.samples.plain;

/**
 * A one-letter mailbox on a plain monitor, {@code synchronized} with {@code wait}/{@code
 * notifyAll}. The bug: a reader waits without first checking whether the letter came already, so a
 * letter delivered before it waits never wakes it (a lost wake-up).
 */
public final class Mailbox {
  private final Object lock = new Object();
  private String letter = "";

  /** Delivers a letter and wakes the readers. */
  public void deliver(String letter) {
    synchronized (lock) {
      this.letter = letter;
      lock.notifyAll();
    }
  }

  /** Reads the letter, waiting for it to come. */
  public String read() throws InterruptedException {
    synchronized (lock) {
      lock.wait(); // the bug: no check for a letter that came already
      return letter;
    }
  }
}
