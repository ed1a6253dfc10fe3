/** Jobs run by the real-Flink test suite of Flink Lens. */
package io.flinklens.harness;
