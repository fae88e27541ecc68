"use client";
import { createContext } from "react";

/** Lets a form inside an inline editor (a table row's "Edit") close it once its change is saved. */
export const EditorContext = createContext<{ close: () => void } | null>(null);
