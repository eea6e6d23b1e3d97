package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.channel.Receiver;
import dev.moire.runtime.channel.Sender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "an exporter fills its bounded channel before announcing the export, while the uploader"
            + " waits for the announcement before it starts draining")
@MoireTracked
@Timeout(10)
final class ChannelFullStallSample {
  @Test
  void exportThenUpload() throws Exception {
    MpscChannel<String> rows = Channels.mpsc("rows", 2);
    OneshotChannel<Integer> header = Channels.oneshot("header");
    Thread exporter =
        new Thread(
            () -> {
              try (Sender<String> tx = rows.sender()) {
                for (int i = 0; i < 10; i++) {
                  tx.send("row " + i); // blocks once two rows wait: the uploader is not reading
                }
                header.sender().send(10); // announced only after every row is queued
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "exporter");
    exporter.start();
    int expected = header.receiver().recv().orElseThrow(); // waits for the announcement
    try (Receiver<String> rx = rows.receiver()) {
      int n = 0;
      for (String ignored : rx) {
        n++;
      }
      if (n != expected) {
        throw new AssertionError(n + " rows, " + expected + " announced");
      }
    }
    exporter.join();
  }
}
