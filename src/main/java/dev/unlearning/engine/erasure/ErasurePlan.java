package dev.unlearning.engine.erasure;

import java.util.List;

/**
 * Which versions erasure keeps and which it deletes.
 *
 * @param newest the newest version, always kept
 * @param served the version serving runs, always kept
 * @param kept every version kept: the newest, the served one, and up to {@code retention} clean versions
 * @param holding versions that still hold a forgotten record (in a slice's membership, so also in every
 *        checkpoint trained on it); all of them are erased unless newest or served
 */
public record ErasurePlan(int newest, int served, List<Integer> kept, List<Integer> erased, List<Integer> holding) {
}
