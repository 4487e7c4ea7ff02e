/**
 * Japanese (and other) input methods: while text is being composed, Enter confirms the
 * composition and arrows move in the candidate list; such keys must not act on the page.
 * Browsers flag them with `isComposing`, and older ones (Safari, some Chrome/IME pairs) send the
 * key as `keyCode` 229 instead. (UI Events spec, "KeyboardEvent.isComposing"; keyCode 229 is the
 * de-facto "IME is processing" code.)
 */

/** What is read of a key event (a DOM KeyboardEvent, or React's synthetic one via `nativeEvent`). */
interface KeyLike {
  isComposing?: boolean;
  keyCode?: number;
  nativeEvent?: { isComposing?: boolean; keyCode?: number };
}

/** True while the key belongs to an input method's composition: ignore it. */
export function isComposingKey(e: KeyLike): boolean {
  const n = e.nativeEvent ?? e;
  return n.isComposing === true || e.isComposing === true || n.keyCode === 229 || e.keyCode === 229;
}
