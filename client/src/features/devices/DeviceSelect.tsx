import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export interface DeviceSelectProps {
  label: string;
  devices: MediaDeviceInfo[];
  value: string | null;
  onChange(deviceId: string | null): void;
  /** Offer "none" (join without this device). */
  allowNone?: boolean;
}

export function DeviceSelect({ label, devices, value, onChange, allowNone = false }: DeviceSelectProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        {allowNone && <option value="">{t('precheck.noDevice')}</option>}
        {devices.map((device, i) => (
          <option key={device.deviceId || i} value={device.deviceId}>
            {device.label || t('devices.unnamed', { kind: label, n: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
