/**
 * The packaged app refuses to start with a debugging or launcher switch (main/window/switches.ts):
 * exact command lines, in every spelling Chromium or Node reads, and the ones that must pass.
 */
import { describe, expect, it } from 'vitest';
import { REFUSED_SWITCH_EXIT_CODE, refusedSwitches, refusedSwitchesMessage, switchesRefusedAtStart } from '../../main/window/switches';

const LINUX_EXE = '/opt/Harm Matrix/harm-matrix';
const WIN_EXE = 'C:\\Program Files\\Harm Matrix\\Harm Matrix.exe';

describe('refusedSwitches', () => {
  const refusedOnEveryPlatform: [argv: string[], refused: string[]][] = [
    [['--remote-debugging-port=9222'], ['remote-debugging-port']],
    [['--remote-debugging-port', '9222'], ['remote-debugging-port']],
    [['--remote-debugging-port'], ['remote-debugging-port']],
    [['-remote-debugging-port=9222'], ['remote-debugging-port']],
    [['--REMOTE-DEBUGGING-PORT=9222'], ['remote-debugging-port']],
    [['--remote_debugging_port=9222'], ['remote-debugging-port']],
    [['--remote-debugging-pipe'], ['remote-debugging-pipe']],
    [['--remote-debugging-address=0.0.0.0'], ['remote-debugging-address']],
    [['--remote-debugging-io-pipes=3,4'], ['remote-debugging-io-pipes']],
    [['--remote-allow-origins=*'], ['remote-allow-origins']],
    [['--js-flags=--allow-natives-syntax'], ['js-flags']],
    [['--js-flags', '--expose-gc'], ['js-flags']],
    [['--renderer-cmd-prefix=gdb --args'], ['renderer-cmd-prefix']],
    [['--utility-cmd-prefix=/tmp/x'], ['utility-cmd-prefix']],
    [['--zygote-cmd-prefix=/tmp/x'], ['zygote-cmd-prefix']],
    [['--gpu-launcher=/tmp/x'], ['gpu-launcher']],
    [['--ppapi-plugin-launcher=/tmp/x'], ['ppapi-plugin-launcher']],
    [['--browser-subprocess-path=/tmp/x'], ['browser-subprocess-path']],
    [['--wait-for-debugger-children=renderer'], ['wait-for-debugger-children']],
    [['--inspect'], ['inspect']],
    [['--inspect=9229'], ['inspect']],
    [['--inspect-brk=0'], ['inspect-brk']],
    [['--inspect_brk'], ['inspect-brk']],
    [['--inspect-port=9229'], ['inspect-port']],
    [['--debug-brk'], ['debug-brk']],
    // Chromium stops reading switches after a bare "--"; the app refuses them there too.
    [['--', '--remote-debugging-port=9222'], ['remote-debugging-port']],
    // Several, named once each, in the order given; values never appear.
    [
      ['--no-sandbox', '--gpu-launcher=/tmp/secret-path', '--remote-debugging-port=1', '--remote-debugging-port=2'],
      ['gpu-launcher', 'remote-debugging-port'],
    ],
  ];

  it.each(refusedOnEveryPlatform)('linux %j refuses %j', (args, refused) => {
    expect(refusedSwitches([LINUX_EXE, ...args], 'linux')).toEqual(refused);
    expect(refusedSwitches([LINUX_EXE, ...args], 'darwin')).toEqual(refused);
  });

  it.each(refusedOnEveryPlatform)('win32 %j refuses %j', (args, refused) => {
    expect(refusedSwitches([WIN_EXE, ...args], 'win32')).toEqual(refused);
  });

  it('reads the Windows "/" prefix on Windows only, where Chromium reads it', () => {
    expect(refusedSwitches([WIN_EXE, '/remote-debugging-port=9222'], 'win32')).toEqual(['remote-debugging-port']);
    expect(refusedSwitches([WIN_EXE, '/Remote-Debugging-Port=9222'], 'win32')).toEqual(['remote-debugging-port']);
    expect(refusedSwitches([LINUX_EXE, '/remote-debugging-port=9222'], 'linux')).toEqual([]);
  });

  const allowed: string[][] = [
    [],
    ['--no-sandbox'],
    ['--enable-logging'],
    ['--lang=en-GB'],
    ['--force-device-scale-factor=1.5'],
    ['remote-debugging-port=9222'],
    ['9222'],
    ['--'],
    ['-'],
    ['--=remote-debugging-port'],
    ['--remote-debugging'],
    ['--js-flag=x'],
    ['--launcher'],
    ['--debugging'],
    ['--cmd-prefix-renderer=x'],
    ['/home/officer/Documents/remote-debugging-port.hmvault'],
  ];

  it.each(allowed)('lets %j through', (...args) => {
    expect(refusedSwitches([LINUX_EXE, ...args], 'linux')).toEqual([]);
    expect(refusedSwitches([WIN_EXE, ...args], 'win32')).toEqual([]);
  });

  it('never reads the program itself as a switch', () => {
    expect(refusedSwitches(['--remote-debugging-port=9222'], 'linux')).toEqual([]);
    expect(refusedSwitches(['--remote-debugging-port=9222', '--js-flags=x'], 'linux')).toEqual(['js-flags']);
  });
});

describe('switchesRefusedAtStart', () => {
  const argv = [LINUX_EXE, '--remote-debugging-port=9222'];

  it('stops a packaged app', () => {
    expect(switchesRefusedAtStart({ argv, platform: 'linux', isPackaged: true })).toEqual(['remote-debugging-port']);
  });

  it('leaves a development build alone (the test launcher and the debugger use these)', () => {
    expect(switchesRefusedAtStart({ argv: [...argv, '--inspect=0'], platform: 'linux', isPackaged: false })).toEqual([]);
  });

  it('exits with the usage code and names the switches without their values', () => {
    expect(REFUSED_SWITCH_EXIT_CODE).toBe(64);
    expect(refusedSwitchesMessage(['remote-debugging-port'])).toBe(
      'Harm Matrix is not starting: the switch --remote-debugging-port is not allowed (it would let another program watch or drive the app). Remove it from the shortcut or command.',
    );
    expect(refusedSwitchesMessage(['gpu-launcher', 'js-flags'])).toBe(
      'Harm Matrix is not starting: the switches --gpu-launcher, --js-flags are not allowed (they would let another program watch or drive the app). Remove them from the shortcut or command.',
    );
  });
});
