"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** "hidden": this display may not sound; "off": one click needed (browsers require it); "on". */
export type TSoundState = "hidden" | "off" | "on";

/** Two falling tones, generated (no audio file to download): attack 20 ms, hold, release. */
const TONES = [
  { hz: 880, at: 0, length: 0.28 },
  { hz: 660, at: 0.34, length: 0.4 },
] as const;
const VOLUME = 0.35;

function playAlert(context: AudioContext): void {
  const start = context.currentTime + 0.02;
  for (const tone of TONES) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "triangle";
    oscillator.frequency.value = tone.hz;
    const from = start + tone.at;
    gain.gain.setValueAtTime(0, from);
    gain.gain.linearRampToValueAtTime(VOLUME, from + 0.02);
    gain.gain.setValueAtTime(VOLUME, from + tone.length - 0.08);
    gain.gain.linearRampToValueAtTime(0, from + tone.length);
    oscillator.connect(gain).connect(context.destination);
    // Nodes that ended are disconnected, so a wall that alerts for weeks keeps no graph.
    oscillator.onended = () => {
      oscillator.disconnect();
      gain.disconnect();
    };
    oscillator.start(from);
    oscillator.stop(from + tone.length + 0.01);
  }
}

/**
 * The wall's alert sound. Browsers start audio only after a user gesture: `enable` (from the
 * "enable sound" button) resumes one AudioContext kept for the page's life and plays the tone
 * once so whoever clicked hears it works. A kiosk browser that allows autoplay is on at once.
 * With `allowed` false (the display's settings) there is no button and nothing ever sounds.
 */
export function useWallSound(allowed: boolean): {
  state: TSoundState;
  enable: () => void;
  play: () => void;
} {
  const context = useRef<AudioContext | null>(null);
  /** Undefined until a context exists (never on the server, nor where Web Audio is missing). */
  const [audioState, setAudioState] = useState<AudioContextState | undefined>(undefined);

  useEffect(() => {
    if (!allowed || typeof AudioContext === "undefined") return;
    const audio = new AudioContext();
    context.current = audio;
    const onState = () => setAudioState(audio.state);
    audio.addEventListener("statechange", onState);
    // Its first state (running where the browser allows autoplay) arrives after this effect.
    queueMicrotask(onState);
    return () => {
      audio.removeEventListener("statechange", onState);
      void audio.close();
      context.current = null;
      setAudioState(undefined);
    };
  }, [allowed]);

  const enable = useCallback(() => {
    const audio = context.current;
    if (!audio) return;
    void audio.resume().then(() => {
      if (audio.state === "running") playAlert(audio);
    });
  }, []);

  const play = useCallback(() => {
    const audio = context.current;
    if (audio?.state === "running") playAlert(audio);
  }, []);

  if (!allowed || audioState === undefined || audioState === "closed")
    return { state: "hidden", enable, play };
  return { state: audioState === "running" ? "on" : "off", enable, play };
}
