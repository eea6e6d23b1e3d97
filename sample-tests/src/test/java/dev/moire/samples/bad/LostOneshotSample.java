package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.channel.OneshotSender;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.LOST_SENDER,
    story =
        "a client parks the reply sender of each request in a pending map; the response for one"
            + " request never comes, so its sender stays in the map, never completed")
@MoireTracked
@Timeout(10)
final class LostOneshotSample {
  static final class Client {
    final Map<Integer, OneshotSender<String>> pending = new ConcurrentHashMap<>();

    OneshotChannel<String> call(int requestId) {
      OneshotChannel<String> reply = Channels.oneshot("reply-" + requestId);
      pending.put(requestId, reply.sender());
      return reply;
    }

    void onResponse(int requestId, String body) {
      OneshotSender<String> tx = pending.remove(requestId);
      if (tx != null) {
        tx.send(body);
      }
    }
  }

  @Test
  void awaitAReplyThatNeverComes() throws Exception {
    Client client = new Client();
    OneshotChannel<String> first = client.call(1);
    OneshotChannel<String> second = client.call(2);
    Thread network = new Thread(() -> client.onResponse(1, "pong"), "network");
    network.start();
    network.join();
    if (first.receiver().recv().isEmpty()) {
      throw new AssertionError("no reply to request 1");
    }
    second.receiver().recv(); // request 2's reply sender is still in the map
  }
}
