/**
 * A short two-tone beep made with WebAudio (no sound file). Browsers only allow audio after a
 * user gesture, so {@link installAudioUnlock} creates/resumes the AudioContext on the first
 * click or key press; before that, {@link beep} is silent.
 */

let ctx: AudioContext | null = null;
let unlocked = false;

/** Whether a user gesture has unlocked audio. */
export function isAudioUnlocked(): boolean {
  return unlocked;
}

/**
 * Listen for the first pointer/key gesture and unlock audio then. Idempotent.
 * @param onUnlocked called once when unlocked
 * @returns a function removing the listeners
 */
export function installAudioUnlock(onUnlocked?: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  const unlock = () => {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    try {
      ctx ??= new Ctor();
      void ctx.resume();
      unlocked = true;
      onUnlocked?.();
    } catch {
      /* no audio device */
    }
    remove();
  };
  const remove = () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
  return remove;
}

/** Play a ~0.4 s two-tone beep, if audio is unlocked. Never throws. */
export function beep(): void {
  if (!ctx || !unlocked) return;
  try {
    const t0 = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t0 + i * 0.2;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    }
  } catch {
    /* audio failures must never break the console */
  }
}
