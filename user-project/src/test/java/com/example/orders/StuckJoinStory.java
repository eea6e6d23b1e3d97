package com.example.orders;

import dev.moire.junit.MoireTracked;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** Known bad: a reply nobody sends, joined (which ignores interrupts); the next test still runs. */
@MoireTracked
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StuckJoinStory {
  static final CompletableFuture<String> REPLY = new CompletableFuture<>();

  @Test
  @Order(1)
  @Timeout(600)
  void waitsForAReplyNobodySends() {
    REPLY.join();
  }

  @Test
  @Order(2)
  void theNextTestRuns() {}
}
