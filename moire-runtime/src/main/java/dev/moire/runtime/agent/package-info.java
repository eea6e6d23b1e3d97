/**
 * What code rewritten by {@code moire-agent} calls ({@link dev.moire.runtime.agent.AgentBridges}):
 * the agent's side of the runtime, exported so that a user's rewritten classes can reach it; not an
 * API for hand-written code.
 */
@NullMarked
package dev.moire.runtime.agent;

import org.jspecify.annotations.NullMarked;
