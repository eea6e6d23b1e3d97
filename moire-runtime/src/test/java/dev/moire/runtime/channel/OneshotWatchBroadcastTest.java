package dev.moire.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EventBody;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
final class OneshotWatchBroadcastTest {
  private final MoireRuntime runtime =
      MoireRuntime.create(RuntimeSettings.defaults().withProcessName("p1"));
  private final ChannelFactory channels = Channels.on(runtime);
  private final GraphProbe graph = new GraphProbe(runtime);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  // ---- oneshot ----

  @Test
  void oneshot_deliversOneValue_andBothEndsLeaveTheGraph() throws Exception {
    OneshotChannel<String> reply = channels.oneshot("reply");
    assertThat(reply.sender().id()).hasToString("oneshot:p1:reply:tx");
    Future<Optional<String>> got = pool.submit(() -> reply.receiver().recv());
    await().until(() -> graph.waitingOn(reply.receiver().id()).isPresent());
    assertThat(graph.entity(reply.sender().id()).body()).isEqualTo(new EntityBody.OneshotTx(false));
    reply.sender().send("42");
    assertThat(got.get()).contains("42");
    assertThat(reply.sender().isSent()).isTrue();
    assertThat(graph.exists(reply.sender().id())).isFalse();
    assertThat(graph.exists(reply.receiver().id())).isFalse();
    assertThat(
            runtime.journal().stream()
                .anyMatch(
                    c ->
                        c.body() instanceof dev.moire.model.ChangeBody.UpsertEntity u
                            && u.entity().body().equals(new EntityBody.OneshotTx(true))))
        .isTrue();
    assertThatThrownBy(() -> reply.sender().send("again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("oneshot 'reply' was already sent");
    assertThatThrownBy(() -> reply.receiver().recv())
        .hasMessage("oneshot 'reply' was already received");
  }

  @Test
  void oneshot_senderClosedWithoutSending_givesTheReceiverNothing() throws Exception {
    OneshotChannel<String> reply = channels.oneshot("reply");
    assertThat(reply.receiver().tryRecv()).isEmpty();
    OneshotChannel<String> second = channels.oneshot("reply");
    assertThat(second.sender().id()).hasToString("oneshot:p1:reply#2:tx");
    Future<Optional<String>> got = pool.submit(() -> second.receiver().recv());
    await().until(() -> graph.waitingOn(second.receiver().id()).isPresent());
    second.sender().close();
    assertThat(got.get()).isEmpty();
    assertThatThrownBy(() -> channels.<String>oneshot("t").receiver().recv(Duration.ofMillis(10)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageStartingWith("oneshot 't' received nothing within");
  }

  @Test
  void oneshot_toAClosedReceiver_fails() {
    OneshotChannel<String> reply = channels.oneshot("reply");
    reply.receiver().close();
    assertThatThrownBy(() -> reply.sender().send("x"))
        .isInstanceOf(ChannelClosedException.class)
        .hasMessage("oneshot 'reply' is closed: its receiver was closed");
  }

  // ---- watch ----

  @Test
  void watch_receiversSeeTheLatestValue_andWaitForChanges() throws Exception {
    WatchChannel<String> config = channels.watch("config", "v1");
    WatchReceiver<String> second = config.sender().subscribe();
    assertThat(config.receiver().id()).hasToString("watch:p1:config:rx");
    assertThat(second.id()).hasToString("watch:p1:config:rx#2");
    assertThat(graph.hasEdge(config.sender().id(), EdgeKind.PAIRED_WITH, second.id())).isTrue();
    assertThat(config.receiver().borrow()).isEqualTo("v1");
    assertThat(config.receiver().hasChanged()).isFalse();

    Future<Boolean> changed = pool.submit(() -> config.receiver().changed());
    await().until(() -> graph.waitingOn(config.receiver().id()).isPresent());
    config.sender().send("v2");
    assertThat(changed.get()).isTrue();
    assertThat(config.receiver().borrow()).isEqualTo("v2");
    assertThat(second.hasChanged()).isTrue();
    assertThat(second.borrowAndUpdate()).isEqualTo("v2");
    assertThat(second.hasChanged()).isFalse();

    config.sender().sendModify(v -> v + "+");
    EntityBody.WatchTx tx = (EntityBody.WatchTx) graph.entity(config.sender().id()).body();
    assertThat(tx.changes()).isEqualTo(2);
    assertThat(tx.lastUpdateAt()).isPresent();
    assertThat(config.receiver().changed(Duration.ofSeconds(5))).isTrue();
    assertThat(config.receiver().borrow()).isEqualTo("v2+");
    assertThat(config.receiver().changed(Duration.ofMillis(10))).isFalse();

    config.sender().close();
    assertThat(config.receiver().changed()).isFalse();
    assertThat(config.receiver().borrow()).isEqualTo("v2+");
  }

  @Test
  void watch_withNoReceiverLeft_refusesSend_butAllowsModify() {
    WatchChannel<Integer> w = channels.watch("count", 0);
    w.receiver().close();
    assertThatThrownBy(() -> w.sender().send(1))
        .isInstanceOf(ChannelClosedException.class)
        .hasMessage("watch 'count' is closed: it has no receiver left");
    w.sender().sendModify(n -> n + 1);
    assertThat(w.sender().borrow()).isEqualTo(1);
    assertThatThrownBy(() -> channels.watch("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("initial value of watch 'x' must not be null");
  }

  // ---- broadcast ----

  @Test
  void broadcast_everyReceiverGetsEveryMessage() throws Exception {
    BroadcastChannel<String> news = channels.broadcast("news", 4);
    BroadcastReceiver<String> second = news.sender().subscribe();
    assertThat(second.id()).hasToString("broadcast:p1:news:rx#2");
    assertThat(news.sender().send("a")).isEqualTo(2);
    assertThat(news.receiver().recv()).contains("a");
    assertThat(second.recv()).contains("a");
    Future<Optional<String>> waiting = pool.submit(() -> second.recv());
    await().until(() -> graph.waitingOn(second.id()).isPresent());
    news.sender().send("b");
    assertThat(waiting.get()).contains("b");
    news.sender().close();
    assertThat(news.receiver().recv()).contains("b");
    assertThat(news.receiver().recv()).isEmpty();
  }

  @Test
  void broadcast_aSlowReceiver_seesLaggedByN_andContinuesFromTheOldestKept() throws Exception {
    BroadcastChannel<Integer> ticks = channels.broadcast("ticks", 2);
    for (int i = 1; i <= 5; i++) {
      ticks.sender().send(i);
    }
    assertThatThrownBy(() -> ticks.receiver().recv())
        .isInstanceOf(LaggedException.class)
        .hasMessage("receiver of broadcast 'ticks' lagged by 3 messages")
        .satisfies(e -> assertThat(((LaggedException) e).missed()).isEqualTo(3));
    assertThat(graph.entity(ticks.receiver().id()).body()).isEqualTo(new EntityBody.BroadcastRx(3));
    assertThat(ticks.receiver().lag()).isEqualTo(3);
    assertThat(ticks.receiver().recv()).contains(4);
    assertThat(ticks.receiver().tryRecv()).contains(5);
    assertThat(ticks.receiver().tryRecv()).isEmpty();
    // Five sends that did not wait: one run of five.
    assertThat(graph.events(ticks.sender().id()))
        .extracting(e -> e.body())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b).isInstanceOf(EventBody.ChannelSent.class);
              EventBody.ChannelSent sent = (EventBody.ChannelSent) b;
              assertThat(sent.count()).isEqualTo(5);
              assertThat(sent.waitNs()).isEmpty();
              assertThat(sent.closed()).isFalse();
            });
  }

  @Test
  void broadcast_withNoReceiverLeft_refusesSend() {
    BroadcastChannel<Integer> b = channels.broadcast("lonely", 2);
    b.receiver().close();
    assertThatThrownBy(() -> b.sender().send(1))
        .isInstanceOf(ChannelClosedException.class)
        .hasMessage("broadcast 'lonely' is closed: it has no receiver left");
  }

  @Test
  void everyChannelKind_leavesNothingBehind_onceClosed() {
    OneshotChannel<String> o = channels.oneshot("o");
    o.sender().close();
    o.receiver().close();
    WatchChannel<String> w = channels.watch("w", "x");
    WatchReceiver<String> w2 = w.receiver().clone();
    w.sender().close();
    w.receiver().close();
    w2.close();
    BroadcastChannel<String> b = channels.broadcast("b", 1);
    BroadcastSender<String> b2 = b.sender().clone();
    b.sender().close();
    b2.close();
    b.receiver().close();
    assertThat(graph.now().entities()).extracting(e -> e.kind().wireName()).containsOnly("thread");
    assertThat(graph.now().edges()).isEmpty();
  }
}
