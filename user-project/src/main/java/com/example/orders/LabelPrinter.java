package com.example.orders;

/**
 * Prints shipping labels one at a time, handing each to the packer through a plain monitor
 * ({@code synchronized}, {@code wait}, {@code notifyAll}): no moire type here. The bug: the packer
 * waits for a label without checking whether one came already, so a label printed before it waits
 * never wakes it.
 */
public final class LabelPrinter {
  private final Object tray = new Object();
  private String label = "";

  /** Prints a label into the tray and wakes the packer. */
  public void print(String text) {
    synchronized (tray) {
      label = text;
      tray.notifyAll();
    }
  }

  /** Takes the next label, waiting for it to be printed. */
  public String take() throws InterruptedException {
    synchronized (tray) {
      tray.wait();
      return label;
    }
  }
}
