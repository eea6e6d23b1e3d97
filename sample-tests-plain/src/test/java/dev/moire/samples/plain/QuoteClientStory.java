package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A future that is never completed, in plain JDK code ({@link QuoteClient}). */
@KnownBad(
    // A stall, not a lost sender: anyone holding a future may complete it, so moire never claims
    // that nobody can; once every thread of the test is blocked, nobody does.
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a client parks a plain CompletableFuture per request; one request's response never comes,"
            + " so its future is never completed")
@MoireTracked
@Timeout(5)
final class QuoteClientStory {
  @Test
  void awaitAQuoteThatNeverComes() throws Exception {
    QuoteClient client = new QuoteClient();
    CompletableFuture<String> first = client.request(1);
    CompletableFuture<String> second = client.request(2);
    Thread network = new Thread(() -> client.onResponse(1, "42.00"), "network");
    network.start();
    network.join();
    first.get();
    second.get(); // request 2's future is still in the map
  }
}
