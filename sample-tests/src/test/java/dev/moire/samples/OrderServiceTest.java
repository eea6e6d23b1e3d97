package dev.moire.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.channel.OneshotSender;
import dev.moire.runtime.channel.Receiver;
import dev.moire.runtime.task.Rpc;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request/response exchange: callers send an order with a oneshot for the reply; one server
 * thread answers each, and the RPC handles show each call as a request paired with its response.
 */
@MoireTracked
@Timeout(30)
final class OrderServiceTest {
  record PlaceOrder(String item, int quantity, OneshotSender<String> reply, Rpc.Request call) {}

  @Test
  void everyRequestGetsItsResponse() throws Exception {
    MpscChannel<PlaceOrder> inbox = Channels.mpsc("orders", 8);
    Thread server =
        new Thread(
            () -> {
              try (Receiver<PlaceOrder> rx = inbox.receiver()) {
                for (PlaceOrder order : rx) {
                  try (Rpc.Response res = Rpc.global().respond(order.call().id(), "Orders.place")) {
                    order.reply().send("confirmed " + order.quantity() + " x " + order.item());
                    res.ok();
                  }
                }
              }
            },
            "order-server");
    server.start();
    for (int i = 1; i <= 5; i++) {
      OneshotChannel<String> reply = Channels.oneshot("reply-" + i);
      try (Rpc.Request call = Rpc.global().request("Orders.place")) {
        inbox.sender().send(new PlaceOrder("widget", i, reply.sender(), call));
        Optional<String> answer = reply.receiver().recv();
        assertThat(answer).contains("confirmed " + i + " x widget");
      }
    }
    inbox.sender().close();
    server.join();
  }
}
