/**
 * The three tests that follow a venue's real one-minute bars. Each spends most of its minutes waiting for the next
 * bar to close; run one after another they took 396 s of CI's 1,230 s (serve seasons 201 s, arena live 118 s, serve
 * follow 77 s). Registered here, each file's suite is concurrent with the others (they wait side by side, each
 * with its own emulator, home and ports), while each file's own tests still run in order (`it.sequential`).
 */
import './venue-bars/serve-seasons.js';
import './venue-bars/serve-venue-follow.js';
import './venue-bars/venue-follow.js';
