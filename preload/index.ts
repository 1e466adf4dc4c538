/**
 * Runs in the sandboxed preload. Exposes `window.api` (one function per contract channel) and
 * nothing else: never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from './api';

contextBridge.exposeInMainWorld(
  'api',
  buildApi((channel, input) => ipcRenderer.invoke(channel, input)),
);
