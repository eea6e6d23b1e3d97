package com.example.orders;

import dev.moire.junit.MoireTracked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Known bad: a label printed before the packer waits for it (see LabelPrinter). */
@MoireTracked
class LostLabelStory {
  @Test
  @Timeout(10)
  void printThenPack() throws Exception {
    LabelPrinter printer = new LabelPrinter();
    Thread printing = new Thread(() -> printer.print("box 1"), "printer");
    printing.start();
    printing.join();
    Thread packer =
        new Thread(
            () -> {
              try {
                printer.take();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "packer");
    packer.start();
    packer.join();
  }
}
