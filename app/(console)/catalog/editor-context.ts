"use client";
import { createContext } from "react";

/** Lets a form inside an inline editor close it once its change is saved. */
export const EditorContext = createContext<{ close: () => void } | null>(null);
