import { useEffect, useState } from 'react';

export interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
}

const none: DeviceLists = { microphones: [], cameras: [] };

/** The microphones and cameras of this machine, kept current when one is plugged in or out. */
export function useDevices(refreshKey: unknown = null): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(none);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey re-reads labels once access is granted
  useEffect(() => {
    const devices = globalThis.navigator?.mediaDevices;
    if (!devices?.enumerateDevices) return;
    let live = true;
    const read = () =>
      devices.enumerateDevices().then((all) => {
        if (!live) return;
        setLists({
          microphones: all.filter((d) => d.kind === 'audioinput'),
          cameras: all.filter((d) => d.kind === 'videoinput'),
        });
      });
    void read();
    devices.addEventListener('devicechange', read);
    return () => {
      live = false;
      devices.removeEventListener('devicechange', read);
    };
  }, [refreshKey]);
  return lists;
}
