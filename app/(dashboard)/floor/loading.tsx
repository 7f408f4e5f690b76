import { Card } from "@/components/ui/card";

export default function FloorLoading() {
  return (
    <div className="grid gap-3">
      <Card.Skeleton />
      <Card.Skeleton />
    </div>
  );
}
