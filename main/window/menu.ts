/**
 * The application menu. Electron's default menu has Help items that open electronjs.org in the
 * system browser, and View items that reload the page or open devtools; none of that belongs in
 * the packaged app. On macOS an Edit menu is needed for copy and paste shortcuts to work at all;
 * on Windows and Linux text fields handle them without a menu, so the packaged app has none.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function applicationMenuTemplate(platform: NodeJS.Platform, isPackaged: boolean): MenuItemConstructorOptions[] | null {
  const devMenu: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ label: 'Development', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] }];
  if (platform === 'darwin') {
    return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }, ...devMenu];
  }
  return devMenu.length ? devMenu : null;
}
