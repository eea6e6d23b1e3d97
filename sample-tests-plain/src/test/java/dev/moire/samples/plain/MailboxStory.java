package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lost wake-up on a plain monitor ({@link Mailbox}): the letter comes before its reader waits.
 */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a postman delivers a letter and notifies the mailbox's monitor before the reader waits on"
            + " it; the reader waits without checking for the letter, so nothing wakes it")
@MoireTracked
@Timeout(5)
final class MailboxStory {
  @Test
  void deliverThenRead() throws Exception {
    Mailbox box = new Mailbox();
    Thread postman = new Thread(() -> box.deliver("hello"), "postman");
    postman.start();
    postman.join();
    Thread reader =
        new Thread(
            () -> {
              try {
                box.read();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "reader");
    reader.start();
    reader.join();
  }
}
