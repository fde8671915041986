# Removes the network adapters WireFX created through Wintun (tunnel type "WireFX"), run by the .msi on uninstall
# after the service stopped. Other programs' Wintun adapters (WireGuard, ...) are left alone.
$ErrorActionPreference = 'Continue'
Get-PnpDevice -Class Net -ErrorAction SilentlyContinue |
  Where-Object { $_.HardwareID -contains 'Wintun' -and $_.FriendlyName -like '*WireFX*' } |
  ForEach-Object {
    Write-Host "removing adapter $($_.FriendlyName) ($($_.InstanceId))"
    & pnputil.exe /remove-device $_.InstanceId | Out-Null
  }
exit 0
